package dev.agora.registry;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.ratelimit.auth.ApiKeyVerifier;
import dev.agora.ratelimit.auth.AuthenticationInterceptor;
import dev.agora.ratelimit.auth.TrustedCallerInterceptor;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.registry.access.AccessConfig;
import dev.agora.registry.access.AccessControl;
import dev.agora.registry.access.BootstrapOutcome;
import dev.agora.registry.artifact.onnx.OnnxArtifactInspector;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.blob.FileBlobStore;
import dev.agora.registry.catalog.SunsetRetirements;
import dev.agora.registry.events.ChangeFeed;
import dev.agora.registry.events.EventsConfig;
import dev.agora.registry.events.EventsService;
import dev.agora.registry.service.RegistryServices;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import dev.agora.registry.store.etcd.EtcdMetadataStore;
import dev.agora.registry.usage.UsageRetention;
import dev.agora.registry.usage.UsageService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The registry in one process: a metadata store (etcd when {@link RegistryConfig#etcd()} names
 * endpoints, otherwise the embedded store under the data directory), a file blob store under the
 * data directory, and the gRPC services on top. Upload finishing (digest check, ONNX Runtime
 * inspection, recording) runs on a small pool of {@value #FINISHING_THREADS} threads owned here,
 * which also bounds how many artifacts are held in memory for inspection at once. A {@link
 * SunsetRetirements} on a thread of its own retires deprecated versions whose sunset has passed; a
 * {@link UsageRetention} on another removes usage records older than the retention period.
 *
 * <p>Close it after the gRPC server that serves {@link #services()} has stopped.
 */
public final class RegistryServer implements AutoCloseable {
  /** How many uploads may be finishing (and so held in memory) at the same time. */
  public static final int FINISHING_THREADS = 2;

  private final MetadataStore store;
  private final ExecutorService finishers;
  private final List<ServerServiceDefinition> authorized;
  private final AccessControl access;
  private final ChangeFeed changeFeed;
  private final SunsetRetirements sunsets;
  private final UsageRetention usageRetention;
  private final InstantSource clock;

  /**
   * Opens the stores under {@code config.dataDir()} and builds the services, with access control at
   * its defaults (a generated bootstrap administrator key on first start).
   *
   * @param clock the source of create, update and publish times
   */
  public RegistryServer(RegistryConfig config, InstantSource clock) {
    this(config, AccessConfig.defaults(), clock);
  }

  /**
   * Opens the stores under {@code config.dataDir()}, bootstraps access control on first start and
   * builds the services.
   *
   * @param clock the source of create, update and publish times
   */
  public RegistryServer(RegistryConfig config, AccessConfig accessConfig, InstantSource clock) {
    this(config, accessConfig, EventsConfig.defaults(), clock);
  }

  /**
   * Opens the stores, bootstraps access control on first start and builds the services, with change
   * feed settings of its own.
   *
   * @param clock the source of create, update and publish times
   */
  public RegistryServer(
      RegistryConfig config,
      AccessConfig accessConfig,
      EventsConfig eventsConfig,
      InstantSource clock) {
    this.store = openMetadataStore(config);
    this.clock = clock;
    AccessControl opened = null;
    try {
      opened = AccessControl.open(store, accessConfig, clock);
      this.access = opened;
      BlobStore blobs = FileBlobStore.open(config.blobDir());
      this.finishers = Executors.newFixedThreadPool(FINISHING_THREADS, finisherThreads());
      ErrorMappingInterceptor errors = new ErrorMappingInterceptor();
      List<ServerServiceDefinition> services =
          RegistryServices.create(
                  store,
                  blobs,
                  new RegistryServices.UploadLimits(
                      config.maxArtifactBytes(), config.maxChunkBytes()),
                  config.governance(),
                  new OnnxArtifactInspector(),
                  finishers,
                  clock)
              .stream()
              .map(service -> ServerInterceptors.intercept(service, errors))
              .toList();
      this.changeFeed = ChangeFeed.start(store, eventsConfig);
      this.authorized =
          Stream.concat(
                  services.stream(),
                  Stream.of(
                      ServerInterceptors.intercept(access.service(), errors),
                      ServerInterceptors.intercept(new EventsService(changeFeed), errors),
                      ServerInterceptors.intercept(UsageService.create(store, clock), errors)))
              .map(service -> ServerInterceptors.intercept(service, access.policy()))
              .toList();
      this.sunsets =
          SunsetRetirements.start(
              store, config.governance(), clock, scheduler("agora-registry-sunset"));
      this.usageRetention =
          UsageRetention.start(
              store,
              config.governance().usageRetention(),
              clock,
              scheduler("agora-registry-usage-retention"));
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * The registry's gRPC services (including {@code AccessService}), ready to serve to anyone: each
   * authenticates the caller's API key on the store, authorizes the call by the access policy and
   * maps errors with the {@link ErrorMappingInterceptor}.
   */
  public List<ServerServiceDefinition> services() {
    AuthenticationInterceptor authentication =
        new AuthenticationInterceptor(access.verifier(), clock);
    return authorized.stream()
        .map(service -> ServerInterceptors.intercept(service, authentication))
        .toList();
  }

  /**
   * The same services for a server nobody outside this process can reach (an in-process server):
   * every call is made as {@code caller}, without a key, and still authorized by the access policy.
   */
  public List<ServerServiceDefinition> internalServices(Caller caller) {
    TrustedCallerInterceptor trusted = new TrustedCallerInterceptor(caller);
    return authorized.stream()
        .map(service -> ServerInterceptors.intercept(service, trusted))
        .toList();
  }

  /** Verifies API keys on this registry's store, for other servers in this process. */
  public ApiKeyVerifier keyVerifier() {
    return access.verifier();
  }

  /** What the first-start bootstrap of access control did when this registry opened its store. */
  public BootstrapOutcome bootstrap() {
    return access.bootstrap();
  }

  /**
   * The metadata store the registry writes, for components that read or watch its keys (see {@code
   * CatalogKeys}). Owned by this server: do not close it.
   */
  public MetadataStore metadataStore() {
    return store;
  }

  /** The change feed behind {@code EventsService}. Owned by this server: do not close it. */
  public ChangeFeed changeFeed() {
    return changeFeed;
  }

  /**
   * The retirements of deprecated versions at their sunset, which run on their own schedule. Owned
   * by this server: do not close it.
   */
  public SunsetRetirements sunsetRetirements() {
    return sunsets;
  }

  /**
   * Ends every open change-feed watch, telling each client the revision to watch again from ({@code
   * STORE_UNAVAILABLE} with retry information), and refuses new ones. Called when a stop begins: a
   * watch never finishes on its own, so a graceful stop would otherwise wait out its whole grace
   * period for the watches. {@link #close} does the same if this was not called.
   */
  public void endWatches() {
    changeFeed.close();
  }

  /** The removal of old usage records, which runs on its own schedule. Owned by this server. */
  public UsageRetention usageRetention() {
    return usageRetention;
  }

  /**
   * Stops the sunset retirements and the usage retention, ends the change feed's watches, waits
   * briefly for finishing uploads, closes the store.
   */
  @Override
  public void close() {
    sunsets.close();
    usageRetention.close();
    changeFeed.close();
    finishers.shutdown();
    try {
      if (!finishers.awaitTermination(30, TimeUnit.SECONDS)) {
        finishers.shutdownNow();
      }
    } catch (InterruptedException e) {
      finishers.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      access.close();
      store.close();
    }
  }

  /** etcd when endpoints are configured, otherwise the embedded store under the data directory. */
  private static MetadataStore openMetadataStore(RegistryConfig config) {
    return config.etcd().enabled()
        ? EtcdMetadataStore.connect(config.etcd())
        : EmbeddedMetadataStore.open(config.metadataDir());
  }

  private static ScheduledExecutorService scheduler(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }

  private static java.util.concurrent.ThreadFactory finisherThreads() {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "agora-registry-upload-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
