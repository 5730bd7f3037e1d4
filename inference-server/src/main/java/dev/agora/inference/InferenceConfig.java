package dev.agora.inference;

import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one inference server, validated on construction.
 *
 * @param cacheDir where verified model artifacts are kept ({@code <cacheDir>/sha256/<hex>.onnx})
 * @param serverVersion what {@code ServerMetadata} reports as the version
 * @param maxBatchSize the {@code max_batch_size} advertised in {@code ModelConfig} for models whose
 *     inputs and outputs all have a dynamic first dimension; 0 never advertises batching
 * @param inferenceThreads threads that run requests (decoding, execution, encoding)
 * @param intraOpThreads ONNX Runtime threads per session for one operator; 0 lets it decide
 * @param optimizationLevel ONNX Runtime graph optimizations: none, basic, extended or all
 * @param latestVersionTtl how long the answer to "which version is latest" is reused before the
 *     registry is asked again; zero asks every time
 * @param maxTensorBytes the largest input tensor accepted, in bytes
 */
public record InferenceConfig(
    Path cacheDir,
    String serverVersion,
    int maxBatchSize,
    int inferenceThreads,
    int intraOpThreads,
    String optimizationLevel,
    Duration latestVersionTtl,
    long maxTensorBytes) {

  /** The version reported when none is configured. */
  public static final String DEFAULT_SERVER_VERSION = "0.1.0";

  /** The default {@code max_batch_size} advertised for batching models. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  /** The default largest input tensor: 64 MiB. */
  public static final long DEFAULT_MAX_TENSOR_BYTES = 64L << 20;

  /** Validates every setting. */
  public InferenceConfig {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(latestVersionTtl, "latestVersionTtl");
    if (serverVersion == null || serverVersion.isBlank()) {
      throw new IllegalArgumentException("serverVersion must not be blank");
    }
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException("maxBatchSize must not be negative");
    }
    if (inferenceThreads < 1) {
      throw new IllegalArgumentException("inferenceThreads must be at least 1");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must not be negative (0 = automatic)");
    }
    if (!OnnxModelRuntime.isOptimizationLevel(optimizationLevel)) {
      throw new IllegalArgumentException(
          "optimizationLevel must be none, basic, extended or all, not '"
              + optimizationLevel
              + "'");
    }
    if (latestVersionTtl.isNegative()) {
      throw new IllegalArgumentException("latestVersionTtl must not be negative");
    }
    if (maxTensorBytes < 1 || maxTensorBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxTensorBytes must be between 1 and 2^31-1");
    }
  }

  /**
   * The defaults: version {@value #DEFAULT_SERVER_VERSION}, max batch 64, one inference thread per
   * processor, one intra-op thread, all optimizations, latest version reused for 2 s, 64 MiB
   * tensors.
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
}
