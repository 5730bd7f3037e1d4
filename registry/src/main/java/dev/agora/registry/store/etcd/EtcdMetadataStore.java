package dev.agora.registry.store.etcd;

import dev.agora.common.error.AgoraException;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MetadataStore} on an etcd cluster through jetcd: the production backend, shared by every
 * registry replica. Revisions are etcd's (its counter starts at 1); reads are linearizable;
 * transactions compare mod revisions (0 = absent, checked as version 0) and are refused before
 * sending when they break etcd's limits. Calls retry transient failures within a deadline (see
 * {@link EtcdCalls}); watches reconnect by themselves (see {@link EtcdWatch}).
 */
public final class EtcdMetadataStore implements MetadataStore {
  private static final ByteSequence ANY_KEY = ByteSequence.from(new byte[] {0});

  private final Client client;
  private final KV kv;
  private final EtcdKeys keys;
  private final EtcdCalls calls;
  private final EtcdRequestLimits limits;
  private final ScheduledExecutorService scheduler;
  private final EtcdWatchSource watches;
  private final EtcdThreads threads;
  private final Set<EtcdWatch> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdMetadataStore(
      EtcdConfig config, Client client, ScheduledExecutorService scheduler, EtcdThreads threads) {
    this.client = client;
    this.kv = client.getKVClient();
    this.keys = new EtcdKeys(config.namespace());
    this.calls = EtcdCalls.system(config);
    this.limits = new EtcdRequestLimits(config, keys);
    this.scheduler = scheduler;
    this.threads = threads;
    this.watches = new EtcdWatchSource(client.getWatchClient(), keys, scheduler, config);
  }

  /**
   * Connects to the cluster and checks that it answers.
   *
   * @throws IllegalArgumentException when the configuration names no endpoint
   * @throws AgoraException {@code STORE_UNAVAILABLE} when etcd does not answer within the call
   *     deadline
   */
  public static EtcdMetadataStore connect(EtcdConfig config) {
    EtcdThreads threads = new EtcdThreads();
    return connect(
        config, Executors.newSingleThreadScheduledExecutor(threads.named("reconnect")), threads);
  }

  /**
   * Connects with {@code scheduler} running watch reconnections; the store shuts it down on close.
   */
  static EtcdMetadataStore connect(EtcdConfig config, ScheduledExecutorService scheduler) {
    return connect(config, scheduler, new EtcdThreads());
  }

  private static EtcdMetadataStore connect(
      EtcdConfig config, ScheduledExecutorService scheduler, EtcdThreads threads) {
    Objects.requireNonNull(config, "config");
    if (!config.enabled()) {
      throw new IllegalArgumentException("the etcd metadata store needs at least one endpoint");
    }
    Client client =
        Client.builder()
            .endpoints(config.endpoints().toArray(URI[]::new))
            .retryMaxAttempts(0)
            // Calls wait for a connection (within their deadline) instead of failing while etcd
            // restarts; a call that never left the process cannot leave a write's outcome unknown.
            .waitForReady(true)
            .maxInboundMessageSize(config.maxResponseBytes())
            .interceptor(new AttemptDeadlineInterceptor(config.callTimeout()))
            .build();
    EtcdMetadataStore store = new EtcdMetadataStore(config, client, scheduler, threads);
    try {
      store.currentRevision();
      return store;
    } catch (AgoraException e) {
      store.close();
      throw AgoraException.builder(
              e.reason(), "Cannot reach etcd at " + config.endpoints() + ". " + e.getMessage())
          .retryDelay(config.maxRetryBackoff())
          .cause(e)
          .build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public Optional<KeyValue> get(String key) {
    ByteSequence etcdKey = keys.key(Objects.requireNonNull(key, "key"));
    checkOpen();
    GetResponse response = calls.run("read", EtcdCalls.Kind.READ, () -> kv.get(etcdKey));
    return response.getKvs().stream().findFirst().map(this::toKeyValue);
  }

  @Override
  public RangeResult range(String prefix, String startAfterKey, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1) {
      throw new IllegalArgumentException("a range limit must be at least 1, got " + limit);
    }
    checkOpen();
    GetOption option =
        GetOption.builder().withRange(keys.rangeEnd(prefix)).withLimit(limit).build();
    ByteSequence start = keys.rangeStart(prefix, startAfterKey);
    GetResponse response =
        calls.run("range read", EtcdCalls.Kind.READ, () -> kv.get(start, option));
    List<KeyValue> found = response.getKvs().stream().map(this::toKeyValue).toList();
    return new RangeResult(found, response.isMore(), response.getHeader().getRevision());
  }

  @Override
  public TxnResult commit(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    checkOpen();
    limits.check(txn);
    Cmp[] compares = txn.compares().stream().map(this::toCmp).toArray(Cmp[]::new);
    Op[] operations = txn.operations().stream().map(this::toOp).toArray(Op[]::new);
    io.etcd.jetcd.kv.TxnResponse response =
        calls.run(
            "transaction",
            EtcdCalls.Kind.WRITE,
            () -> kv.txn().If(compares).Then(operations).commit());
    return new TxnResult(response.isSucceeded(), response.getHeader().getRevision());
  }

  @Override
  public long currentRevision() {
    checkOpen();
    GetOption countOnly = GetOption.builder().withCountOnly(true).build();
    return calls
        .run("revision read", EtcdCalls.Kind.READ, () -> kv.get(ANY_KEY, countOnly))
        .getHeader()
        .getRevision();
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    long from = fromRevision > 0 ? fromRevision : currentRevision() + 1;
    checkOpen();
    EtcdWatch[] self = new EtcdWatch[1];
    self[0] =
        new EtcdWatch(
            watches,
            prefix,
            from,
            listener,
            Executors.newSingleThreadExecutor(threads.named("watch")),
            () -> open.remove(self[0]));
    open.add(self[0]);
    self[0].start();
    return self[0];
  }

  @Override
  public void compact(long revision) {
    checkOpen();
    try {
      calls.run("compaction", EtcdCalls.Kind.READ, () -> kv.compact(revision));
    } catch (AgoraException e) {
      Throwable cause = e.getCause();
      if (cause != null && EtcdFailures.isCompacted(cause)) {
        return;
      }
      if (cause != null && EtcdFailures.isFutureRevision(cause)) {
        throw new IllegalArgumentException(
            "cannot compact to " + revision + ", past the current revision", e);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List.copyOf(open).forEach(EtcdWatch::close);
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }

  private KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(
        keys.storeKey(kv.getKey()),
        kv.getValue().getBytes(),
        kv.getCreateRevision(),
        kv.getModRevision(),
        kv.getVersion());
  }

  private Cmp toCmp(Txn.Compare compare) {
    ByteSequence key = keys.key(compare.key());
    return compare.expectedModRevision() == 0
        ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
        : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(compare.expectedModRevision()));
  }

  private Op toOp(Txn.Op op) {
    ByteSequence key = keys.key(op.key());
    if (op instanceof Txn.Put put) {
      return Op.put(key, ByteSequence.from(put.value()), PutOption.DEFAULT);
    }
    return Op.delete(key, DeleteOption.DEFAULT);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the metadata store is closed");
    }
  }
}
