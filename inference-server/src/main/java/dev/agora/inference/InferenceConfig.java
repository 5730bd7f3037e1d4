package dev.agora.inference;

import dev.agora.inference.batching.BatchPolicies;
import dev.agora.inference.batching.ModelBatching;
import dev.agora.inference.runtime.SessionSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one inference server, validated on construction. Every field is documented in
 * docs/config.md.
 *
 * @param cacheDir where verified model artifacts are kept ({@code <cacheDir>/sha256/<hex>.onnx})
 * @param serverVersion what {@code ServerMetadata} reports as the version
 * @param maxBatchSize the most rows the dynamic batcher puts in one execution, advertised as {@code
 *     max_batch_size} for models whose inputs and outputs all have a dynamic first dimension; 0
 *     turns dynamic batching off (every request runs on its own, nothing advertised)
 * @param inferenceThreads request threads: resolve, validate, decode and encode (never run models)
 * @param intraOpThreads ONNX Runtime threads per session for one operator; 0 lets it decide
 * @param optimizationLevel ONNX Runtime graph optimizations: none, basic, extended or all
 * @param latestVersionTtl how long the answer to "which version is latest" is reused before the
 *     registry is asked again; zero asks every time
 * @param maxTensorBytes the largest input tensor accepted, in bytes
 * @param executionThreads the bounded pool that runs ONNX Runtime; also how many executions of one
 *     version may run at once
 * @param interOpThreads ONNX Runtime threads for independent operators; 1 runs a graph sequentially
 * @param memoryArena whether ONNX Runtime keeps freed CPU memory in an arena for reuse
 * @param maxQueueDelay how long the oldest queued request of a batching model may wait for company
 *     while an execution slot is free (microsecond resolution); zero coalesces only the requests
 *     that queued while executions were busy
 * @param modelCacheBytes the memory budget of loaded models, by their footprint estimates
 * @param modelBatching models batched otherwise than {@code maxBatchSize} and {@code maxQueueDelay}
 *     say, by model name
 */
public record InferenceConfig(
    Path cacheDir,
    String serverVersion,
    int maxBatchSize,
    int inferenceThreads,
    int intraOpThreads,
    String optimizationLevel,
    Duration latestVersionTtl,
    long maxTensorBytes,
    int executionThreads,
    int interOpThreads,
    boolean memoryArena,
    Duration maxQueueDelay,
    long modelCacheBytes,
    Map<String, ModelBatching> modelBatching) {

  /** The version reported when none is configured. */
  public static final String DEFAULT_SERVER_VERSION = "0.1.0";

  /** The default {@code max_batch_size} of batching models. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  /** The default largest input tensor: 64 MiB. */
  public static final long DEFAULT_MAX_TENSOR_BYTES = 64L << 20;

  /** The default queue delay of batching models: none (Triton's default too). */
  public static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ZERO;

  /** The smallest model cache budget when the machine's memory cannot be read: 1 GiB. */
  public static final long FALLBACK_MODEL_CACHE_BYTES = 1L << 30;

  /** Validates every setting. */
  public InferenceConfig {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(latestVersionTtl, "latestVersionTtl");
    Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
    if (serverVersion == null || serverVersion.isBlank()) {
      throw new IllegalArgumentException("serverVersion must not be blank");
    }
    requireAtLeast("maxBatchSize", maxBatchSize, 0);
    requireAtLeast("inferenceThreads", inferenceThreads, 1);
    requireAtLeast("executionThreads", executionThreads, 1);
    new SessionSettings(intraOpThreads, interOpThreads, optimizationLevel, memoryArena);
    if (latestVersionTtl.isNegative()) {
      throw new IllegalArgumentException("latestVersionTtl must not be negative");
    }
    if (maxTensorBytes < 1 || maxTensorBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxTensorBytes must be between 1 and 2^31-1");
    }
    new ModelBatching(maxBatchSize, maxQueueDelay);
    modelBatching = Map.copyOf(Objects.requireNonNull(modelBatching, "modelBatching"));
    if (modelCacheBytes < 1 << 20) {
      throw new IllegalArgumentException("modelCacheBytes must be at least 1 MiB");
    }
  }

  /**
   * The original settings with the later ones at their defaults: one execution thread per
   * processor, sequential graphs, the memory arena on, no queue delay, and half the machine's
   * memory for models.
   */
  public InferenceConfig(
      Path cacheDir,
      String serverVersion,
      int maxBatchSize,
      int inferenceThreads,
      int intraOpThreads,
      String optimizationLevel,
      Duration latestVersionTtl,
      long maxTensorBytes) {
    this(
        cacheDir,
        serverVersion,
        maxBatchSize,
        inferenceThreads,
        intraOpThreads,
        optimizationLevel,
        latestVersionTtl,
        maxTensorBytes,
        Runtime.getRuntime().availableProcessors(),
        1,
        true,
        DEFAULT_MAX_QUEUE_DELAY,
        defaultModelCacheBytes(),
        Map.of());
  }

  /**
   * The defaults: version {@value #DEFAULT_SERVER_VERSION}, max batch 64 with no queue delay, one
   * request thread and one execution thread per processor, one intra-op thread, sequential graphs,
   * all optimizations, the memory arena on, latest version reused for 2 s, 64 MiB tensors, half the
   * machine's memory for models.
   */
  public static InferenceConfig defaults(Path cacheDir) {
    return new InferenceConfig(
        cacheDir,
        DEFAULT_SERVER_VERSION,
        DEFAULT_MAX_BATCH_SIZE,
        Runtime.getRuntime().availableProcessors(),
        1,
        "all",
        Duration.ofSeconds(2),
        DEFAULT_MAX_TENSOR_BYTES);
  }

  /** The ONNX Runtime session settings. */
  public SessionSettings sessionSettings() {
    return new SessionSettings(intraOpThreads, interOpThreads, optimizationLevel, memoryArena);
  }

  /** How each model is batched: these defaults, and {@link #modelBatching()} where it says. */
  public BatchPolicies batchPolicies() {
    return new BatchPolicies(
        new ModelBatching(maxBatchSize, maxQueueDelay), modelBatching, executionThreads);
  }

  /** These settings with dynamic batching of {@code maxBatchSize} rows and {@code delay}. */
  public InferenceConfig withBatching(int maxBatchSize, Duration delay) {
    return toBuilder().maxBatchSize(maxBatchSize).maxQueueDelay(delay).build();
  }

  /** These settings with {@code threads} execution threads. */
  public InferenceConfig withExecutionThreads(int threads) {
    return toBuilder().executionThreads(threads).build();
  }

  /** These settings with a model cache budget of {@code bytes}. */
  public InferenceConfig withModelCacheBytes(long bytes) {
    return toBuilder().modelCacheBytes(bytes).build();
  }

  /** These settings with {@code byModel} batched otherwise than the defaults. */
  public InferenceConfig withModelBatching(Map<String, ModelBatching> byModel) {
    return toBuilder().modelBatching(byModel).build();
  }

  /** A builder that starts from {@link #defaults(Path)}. */
  public static Builder builder(Path cacheDir) {
    return defaults(cacheDir).toBuilder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Settings changed one at a time; {@link #build()} validates them all, as the record's
   * constructor does.
   */
  public static final class Builder {
    private final Path cacheDir;
    private String serverVersion;
    private int maxBatchSize;
    private int inferenceThreads;
    private int intraOpThreads;
    private String optimizationLevel;
    private Duration latestVersionTtl;
    private long maxTensorBytes;
    private int executionThreads;
    private int interOpThreads;
    private boolean memoryArena;
    private Duration maxQueueDelay;
    private long modelCacheBytes;
    private Map<String, ModelBatching> modelBatching;

    private Builder(InferenceConfig from) {
      cacheDir = from.cacheDir;
      serverVersion = from.serverVersion;
      maxBatchSize = from.maxBatchSize;
      inferenceThreads = from.inferenceThreads;
      intraOpThreads = from.intraOpThreads;
      optimizationLevel = from.optimizationLevel;
      latestVersionTtl = from.latestVersionTtl;
      maxTensorBytes = from.maxTensorBytes;
      executionThreads = from.executionThreads;
      interOpThreads = from.interOpThreads;
      memoryArena = from.memoryArena;
      maxQueueDelay = from.maxQueueDelay;
      modelCacheBytes = from.modelCacheBytes;
      modelBatching = from.modelBatching;
    }

    public Builder serverVersion(String version) {
      serverVersion = version;
      return this;
    }

    public Builder maxBatchSize(int rows) {
      maxBatchSize = rows;
      return this;
    }

    public Builder inferenceThreads(int threads) {
      inferenceThreads = threads;
      return this;
    }

    public Builder intraOpThreads(int threads) {
      intraOpThreads = threads;
      return this;
    }

    public Builder optimizationLevel(String level) {
      optimizationLevel = level;
      return this;
    }

    public Builder latestVersionTtl(Duration ttl) {
      latestVersionTtl = ttl;
      return this;
    }

    public Builder maxTensorBytes(long bytes) {
      maxTensorBytes = bytes;
      return this;
    }

    public Builder executionThreads(int threads) {
      executionThreads = threads;
      return this;
    }

    public Builder interOpThreads(int threads) {
      interOpThreads = threads;
      return this;
    }

    public Builder memoryArena(boolean on) {
      memoryArena = on;
      return this;
    }

    public Builder maxQueueDelay(Duration delay) {
      maxQueueDelay = delay;
      return this;
    }

    public Builder modelCacheBytes(long bytes) {
      modelCacheBytes = bytes;
      return this;
    }

    public Builder modelBatching(Map<String, ModelBatching> byModel) {
      modelBatching = byModel;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public InferenceConfig build() {
      return new InferenceConfig(
          cacheDir,
          serverVersion,
          maxBatchSize,
          inferenceThreads,
          intraOpThreads,
          optimizationLevel,
          latestVersionTtl,
          maxTensorBytes,
          executionThreads,
          interOpThreads,
          memoryArena,
          maxQueueDelay,
          modelCacheBytes,
          modelBatching);
    }
  }

  /** Half the machine's (or container's) physical memory, or 1 GiB when it cannot be read. */
  public static long defaultModelCacheBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long total = os.getTotalMemorySize();
      if (total > 0) {
        return Math.max(1L << 20, total / 2);
      }
    }
    return FALLBACK_MODEL_CACHE_BYTES;
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
    }
  }
}
