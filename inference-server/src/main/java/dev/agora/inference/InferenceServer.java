package dev.agora.inference;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.inference.batching.ExecutionSlots;
import dev.agora.inference.batching.SchedulerFactory;
import dev.agora.inference.batching.Ticker;
import dev.agora.inference.catalog.CatalogChanges;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.RegistryCatalogChanges;
import dev.agora.inference.catalog.RegistryModelCatalog;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.RepositorySettings;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.service.DeprecationHeaders;
import dev.agora.inference.service.InferenceService;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.inference.tensor.TensorBufferPool;
import io.grpc.Channel;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinPool.ForkJoinWorkerThreadFactory;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference server's composition root: the catalog, the ONNX runtime, the model repository, the
 * schedulers, the thread pools and the gRPC service, wired from one {@link InferenceConfig}.
 *
 * <p>Threads: a unary {@code ModelInfer} is resolved, validated and decoded on the gRPC application
 * thread that delivered it ({@link #callExecutor()}; never a direct executor); request threads
 * ({@code inferenceThreads}) do the same for streams and the other RPCs and encode the answers of
 * shared executions; execution threads ({@code executionThreads}) only run ONNX Runtime. At most
 * {@code executionThreads} executions run at once: a request thread that finds one of those slots
 * free and nothing queued runs its execution itself, saving a thread hop ({@link ExecutionSlots}).
 * One timer thread fires batch queue delays; two threads load models. None of them is a transport
 * thread.
 *
 * <p>The caller adds {@link #services()} to a gRPC server (and should raise its inbound message
 * limit: Triton's clients send up to 2 GiB), calls {@link #start()}, and closes this after the gRPC
 * server has stopped.
 */
public final class InferenceServer implements AutoCloseable {
  /** Requests that may wait per request or execution thread before new ones are refused. */
  static final int QUEUED_PER_THREAD = 256;

  /** Threads that download and open models. */
  static final int LOAD_THREADS = 2;

  /** Input and pinned-output buffers up to this size are pooled. */
  static final int POOLED_BUFFER_BYTES = 1 << 20;

  /** Idle pooled input buffers kept, in bytes. */
  static final long POOL_IDLE_BYTES = 64L << 20;

  /** How long {@link #start()} waits for the change feed to connect. */
  static final Duration FEED_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(InferenceServer.class);
  private static final long STOP_WAIT_SECONDS = 30;

  private final ModelRuntime runtime;
  private final ForkJoinPool callExecutor;
  private final ThreadPoolExecutor requestExecutor;
  private final ThreadPoolExecutor executionExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor loadExecutor;
  private final ModelRepository repository;
  private final InferenceService service;
  private final CatalogChanges changes;
  private final AtomicBoolean ready = new AtomicBoolean();
  private volatile AutoCloseable following = () -> {};
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A server that learns about models from the registry over {@code registryChannel} and follows
   * its change feed.
   */
  public InferenceServer(InferenceConfig config, Channel registryChannel) {
    this(
        config,
        new RegistryModelCatalog(registryChannel),
        new RegistryCatalogChanges(registryChannel));
  }

  /** A server over any {@link ModelCatalog} without a change feed, e.g. in benchmarks. */
  public InferenceServer(InferenceConfig config, ModelCatalog catalog) {
    this(config, catalog, CatalogChanges.none());
  }

  /** A server over any {@link ModelCatalog} that follows {@code changes}. */
  public InferenceServer(InferenceConfig config, ModelCatalog catalog, CatalogChanges changes) {
    this.changes = changes;
    int requestThreads = config.inferenceThreads();
    this.callExecutor = callPool(requestThreads);
    this.requestExecutor =
        pool("agora-inference-", requestThreads, requestThreads * QUEUED_PER_THREAD);
    int executionThreads = config.executionThreads();
    this.executionExecutor =
        pool("agora-execution-", executionThreads, executionThreads * QUEUED_PER_THREAD);
    this.timer = new ScheduledThreadPoolExecutor(1, threadFactory("agora-batch-timer-"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.loadExecutor = pool("agora-model-load-", LOAD_THREADS, Integer.MAX_VALUE);
    TensorBufferPool buffers = new TensorBufferPool(POOLED_BUFFER_BYTES, POOL_IDLE_BYTES);
    this.runtime = new OnnxModelRuntime(config.sessionSettings(), buffers);
    SchedulerFactory schedulers =
        new SchedulerFactory(
            config.batchPolicies(),
            ExecutionSlots.sharedWithCallers(executionExecutor, executionThreads),
            Ticker.system(),
            this::scheduleDelay,
            buffers);
    this.repository =
        new ModelRepository(
            catalog,
            runtime,
            schedulers,
            new RepositorySettings(
                config.cacheDir(), config.latestVersionTtl(), config.modelCacheBytes()),
            loadExecutor,
            System::nanoTime);
    this.service =
        new InferenceService(
            catalog,
            repository,
            ready::get,
            config.serverVersion(),
            requestExecutor,
            new InferRequestDecoder(config.maxTensorBytes(), buffers),
            config.batchPolicies(),
            requestThreads * QUEUED_PER_THREAD);
  }

  /**
   * The executor the gRPC server should deliver calls on ({@code ServerBuilder.executor}): a
   * work-stealing pool as parallel as {@code inferenceThreads} (one per processor by default, so a
   * worker is not woken to share a core with a busy one). gRPC's default, a cached pool, hands
   * every call to a parked thread and wakes it, which cost a sixth of the server's CPU under
   * batched load (docs/decisions/0030); here a busy worker takes the next call without a wake-up. A
   * call that waits for a model to load waits in {@code CompletableFuture.join}, which the pool
   * compensates with a spare thread. Shut down by {@link #close()}, after the gRPC server stops.
   */
  public Executor callExecutor() {
    return callExecutor;
  }

  /** The gRPC services to add to a server, with Agora's error mapping applied. */
  public List<ServerServiceDefinition> services() {
    return List.of(
        ServerInterceptors.intercept(
            service,
            new DeprecationHeaders(repository::deprecation),
            new ErrorMappingInterceptor()));
  }

  /**
   * Starts following the catalog's change feed (waiting up to {@link #FEED_WAIT} for it to connect,
   * so that nothing published while the models are listed is missed), loads and warms the latest
   * published version of every model the catalog lists, then reports ready. Models that fail to
   * load are reported UNAVAILABLE in the repository index; they do not stop the server. A feed that
   * does not connect in time keeps trying in the background.
   */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("the inference server is closed");
    }
    following = repository.follow(changes);
    if (changes.isLive()) {
      awaitFeed();
    }
    repository.preloadPublished();
    ready.set(true);
  }

  private void awaitFeed() {
    try {
      repository.following().get(FEED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      log.warn(
          "the catalog's change feed did not connect within {}; starting without it for now",
          FEED_WAIT);
    } catch (ExecutionException refused) {
      log.warn("serving without the catalog's change feed: {}", refused.getCause().getMessage());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", interrupted);
    }
  }

  /** Whether {@link #start()} finished and the server has not been closed. */
  public boolean isReady() {
    return ready.get();
  }

  /** The model repository, for operations and tests. */
  public ModelRepository repository() {
    return repository;
  }

  /**
   * Stops accepting work and lets admitted requests finish: request threads drain, every version is
   * retired (queued requests run at once), the execution pool drains, and the sessions and the
   * runtime close.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    try {
      following.close();
    } catch (Exception failure) {
      log.warn("could not stop following the catalog: {}", failure.getMessage());
    }
    stop(callExecutor);
    stop(requestExecutor);
    repository.close();
    stop(executionExecutor);
    timer.shutdownNow();
    stop(loadExecutor);
    runtime.close();
  }

  private void scheduleDelay(Runnable task, long nanos) {
    try {
      timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopped) {
      // Only after close(): every version is retired by then, so nothing waits on a delay.
    }
  }

  private static ThreadPoolExecutor pool(String prefix, int threads, int queueCapacity) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(queueCapacity),
        threadFactory(prefix));
  }

  private static ForkJoinPool callPool(int parallelism) {
    AtomicInteger count = new AtomicInteger();
    ForkJoinWorkerThreadFactory named =
        pool -> {
          ForkJoinWorkerThread thread =
              ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          thread.setName("agora-grpc-" + count.incrementAndGet());
          return thread;
        };
    return new ForkJoinPool(parallelism, named, null, true);
  }

  private static ThreadFactory threadFactory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void stop(ExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException interrupted) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
