package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.proto.errors.v1.ErrorReason;

/**
 * The estimated memory an open session of a model version takes, which is what it weighs in the
 * model cache. ONNX Runtime holds the initializers (nearly all of an ONNX file's bytes) in memory,
 * often a second time after pre-packing them for its kernels, plus per-session state: so twice the
 * artifact size plus a fixed allowance.
 */
public final class ModelFootprint {
  /** Bytes of session memory per artifact byte. */
  public static final long BYTES_PER_ARTIFACT_BYTE = 2;

  /** Fixed per-session allowance: graph, kernels, allocator state. */
  public static final long SESSION_OVERHEAD_BYTES = 1L << 20;

  private ModelFootprint() {}

  /** The estimate for {@code version}, in bytes. */
  public static long estimateBytes(PublishedVersion version) {
    long artifact = version.sizeBytes();
    return artifact > (Long.MAX_VALUE - SESSION_OVERHEAD_BYTES) / BYTES_PER_ARTIFACT_BYTE
        ? Long.MAX_VALUE
        : artifact * BYTES_PER_ARTIFACT_BYTE + SESSION_OVERHEAD_BYTES;
  }

  /**
   * @throws AgoraException {@code LIMIT_EXCEEDED} when {@code version} alone would take more than
   *     the whole {@code budgetBytes}
   */
  static void requireWithin(PublishedVersion version, long budgetBytes) {
    long footprint = estimateBytes(version);
    if (footprint > budgetBytes) {
      throw AgoraException.of(
          ErrorReason.LIMIT_EXCEEDED,
          "The "
              + version.label()
              + " needs an estimated "
              + footprint
              + " bytes of memory, more than the model cache's budget of "
              + budgetBytes
              + " bytes.");
    }
  }
}
