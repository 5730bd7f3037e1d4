package dev.agora.inference.tensor;

import dev.agora.proto.inference.ModelInferResponse.InferOutputTensor;

/**
 * The output descriptions (name, datatype, shape) one model version recently answered with. A
 * response reuses an immutable description that matches instead of building it again, which saves a
 * message, its builder and its shape list per output and request. The latest few are kept.
 */
public final class OutputDescriptions {
  /** How many descriptions are kept. */
  static final int CAPACITY = 16;

  private volatile InferOutputTensor[] recent = new InferOutputTensor[0];

  /** The description of {@code output}: a kept one when it matches, else a new one, then kept. */
  public InferOutputTensor describe(OutputTensor output) {
    for (InferOutputTensor kept : recent) {
      if (describes(kept, output)) {
        return kept;
      }
    }
    InferOutputTensor.Builder built =
        InferOutputTensor.newBuilder()
            .setName(output.name())
            .setDatatype(output.datatype().oipName());
    for (int d = 0; d < output.rank(); d++) {
      built.addShape(output.dim(d));
    }
    InferOutputTensor description = built.build();
    keep(description);
    return description;
  }

  private synchronized void keep(InferOutputTensor description) {
    InferOutputTensor[] current = recent;
    InferOutputTensor[] next = new InferOutputTensor[Math.min(current.length + 1, CAPACITY)];
    next[0] = description;
    System.arraycopy(current, 0, next, 1, next.length - 1);
    recent = next;
  }

  private static boolean describes(InferOutputTensor kept, OutputTensor output) {
    if (kept.getShapeCount() != output.rank()
        || !kept.getName().equals(output.name())
        || !kept.getDatatype().equals(output.datatype().oipName())) {
      return false;
    }
    for (int d = 0; d < output.rank(); d++) {
      if (kept.getShape(d) != output.dim(d)) {
        return false;
      }
    }
    return true;
  }
}
