package dev.agora.inference;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.RegistryModelCatalog;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.service.InferenceService;
import io.grpc.Channel;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inference server's composition root: the catalog, the ONNX runtime, the model repository, the
 * executors and the gRPC service, wired from one {@link InferenceConfig}. The caller adds {@link
 * #services()} to a gRPC server (and should raise its inbound message limit: Triton's clients send
 * up to 2 GiB), calls {@link #start()}, and closes this after the gRPC server has stopped.
 */
public final class InferenceServer implements AutoCloseable {
  /** Requests that may wait per inference thread before new ones are refused. */
  static final int QUEUED_PER_THREAD = 256;

  /** Threads that download and open models. */
  static final int LOAD_THREADS = 2;

  private static final long STOP_WAIT_SECONDS = 30;

  private final ModelRuntime runtime;
  private final ThreadPoolExecutor inferenceExecutor;
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
    this.runtime = new OnnxModelRuntime(config.intraOpThreads(), config.optimizationLevel());
    this.inferenceExecutor =
        pool(
            "agora-inference-",
            config.inferenceThreads(),
            config.inferenceThreads() * QUEUED_PER_THREAD);
    this.loadExecutor = pool("agora-model-load-", LOAD_THREADS, Integer.MAX_VALUE);
    this.repository =
        new ModelRepository(
            catalog,
            runtime,
            config.cacheDir(),
            config.latestVersionTtl(),
            loadExecutor,
            System::nanoTime);
    this.service =
        new InferenceService(
            catalog,
            repository,
            ready::get,
            config.serverVersion(),
            inferenceExecutor,
            config.maxBatchSize(),
            config.maxTensorBytes());
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

  /** Stops accepting work, lets running requests finish, closes sessions and the runtime. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    stop(inferenceExecutor);
    repository.close();
    stop(loadExecutor);
    runtime.close();
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
