package dev.agora.inference;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.inference.batching.SchedulerFactory;
import dev.agora.inference.batching.Ticker;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.RegistryModelCatalog;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.RepositorySettings;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.service.InferenceService;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.inference.tensor.TensorBufferPool;
import io.grpc.Channel;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inference server's composition root: the catalog, the ONNX runtime, the model repository, the
 * schedulers, the thread pools and the gRPC service, wired from one {@link InferenceConfig}.
 *
 * <p>Threads: request threads ({@code inferenceThreads}) resolve, validate, decode and encode;
 * execution threads ({@code executionThreads}) only run ONNX Runtime; one timer thread fires batch
 * queue delays; two threads load models. None of them is a transport thread.
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

  /** Input buffers up to this size are pooled. */
  static final int POOLED_BUFFER_BYTES = 1 << 20;

  /** Idle pooled input buffers kept, in bytes. */
  static final long POOL_IDLE_BYTES = 64L << 20;

  private static final long STOP_WAIT_SECONDS = 30;

  private final ModelRuntime runtime;
  private final ThreadPoolExecutor requestExecutor;
  private final ThreadPoolExecutor executionExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor loadExecutor;
  private final ModelRepository repository;
  private final InferenceService service;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A server that learns about models from the registry over {@code registryChannel}. */
  public InferenceServer(InferenceConfig config, Channel registryChannel) {
    this(config, new RegistryModelCatalog(registryChannel));
  }

  /** A server over any {@link ModelCatalog}, e.g. a fixed one in tests or benchmarks. */
  public InferenceServer(InferenceConfig config, ModelCatalog catalog) {
    this.runtime = new OnnxModelRuntime(config.sessionSettings());
    int requestThreads = config.inferenceThreads();
    this.requestExecutor =
        pool("agora-inference-", requestThreads, requestThreads * QUEUED_PER_THREAD);
    int executionThreads = config.executionThreads();
    this.executionExecutor =
        pool("agora-execution-", executionThreads, executionThreads * QUEUED_PER_THREAD);
    this.timer = new ScheduledThreadPoolExecutor(1, threadFactory("agora-batch-timer-"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.loadExecutor = pool("agora-model-load-", LOAD_THREADS, Integer.MAX_VALUE);
    TensorBufferPool buffers = new TensorBufferPool(POOLED_BUFFER_BYTES, POOL_IDLE_BYTES);
    SchedulerFactory schedulers =
        new SchedulerFactory(
            config.batchPolicy(), executionExecutor, Ticker.system(), this::scheduleDelay, buffers);
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
            config.batchPolicy(),
            requestThreads * QUEUED_PER_THREAD);
  }

  /** The gRPC services to add to a server, with Agora's error mapping applied. */
  public List<ServerServiceDefinition> services() {
    return List.of(ServerInterceptors.intercept(service, new ErrorMappingInterceptor()));
  }

  /**
   * Loads the latest published version of every model the catalog lists, then reports ready. Models
   * that fail to load are reported UNAVAILABLE in the repository index; they do not stop the
   * server.
   */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("the inference server is closed");
    }
    repository.preloadPublished();
    ready.set(true);
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
