package dev.agora.inference.tensor;

import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import java.util.Arrays;

/**
 * The checks of one request input against its signature: datatype, shape, size and the number of
 * typed values. Each returns a sentence naming the input, or null when the check passes.
 */
final class TensorShapes {
  private TensorShapes() {}

  static String datatypeProblem(TensorSignature spec, String requested) {
    if (!spec.datatype().oipName().equals(requested)) {
      return "input '"
          + spec.name()
          + "' has datatype "
          + (requested.isEmpty() ? "(none)" : requested)
          + " but the model expects "
          + spec.datatype();
    }
    return null;
  }

  static String shapeProblem(TensorSignature spec, long[] shape) {
    for (long dim : shape) {
      if (dim < 0) {
        return label(spec, shape) + " with negative dimension " + dim;
      }
    }
    if (shape.length != spec.rank()) {
      return label(spec, shape)
          + " of rank "
          + shape.length
          + " but the model expects rank "
          + spec.rank()
          + " "
          + Arrays.toString(spec.shape());
    }
    for (int i = 0; i < shape.length; i++) {
      if (spec.dim(i) != -1 && spec.dim(i) != shape[i]) {
        return label(spec, shape)
            + " but the model expects "
            + Arrays.toString(spec.shape())
            + ": dimension "
            + i
            + " must be "
            + spec.dim(i);
      }
    }
    return null;
  }

  private static String label(TensorSignature spec, long[] shape) {
    return "input '" + spec.name() + "' has shape " + Arrays.toString(shape);
  }

  /** The number of elements of a tensor of {@code shape}, or -1 when it does not fit in a long. */
  static long elementCount(long[] shape) {
    try {
      long elements = 1;
      for (long dim : shape) {
        elements = Math.multiplyExact(elements, dim);
      }
      return elements;
    } catch (ArithmeticException overflow) {
      return -1;
    }
  }

  /**
   * The byte size of a fixed-size tensor of {@code shape}, or -1 when it does not fit in a long.
   * For BYTES, whose size depends on the values, this is the element count.
   */
  static long byteSize(Datatype datatype, long[] shape) {
    long elements = elementCount(shape);
    if (elements < 0 || !datatype.fixedSize()) {
      return elements;
    }
    try {
      return Math.multiplyExact(elements, (long) datatype.elementBytes());
    } catch (ArithmeticException overflow) {
      return -1;
    }
  }

  static String typedCountProblem(
      TensorSignature spec, InferInputTensor tensor, long elements, long[] shape) {
    String field = TypedContents.fieldName(spec.datatype());
    if (field == null) {
      return "input '"
          + spec.name()
          + "' is "
          + spec.datatype()
          + ", which has no typed contents; send it in raw_input_contents";
    }
    if (!tensor.hasContents() && elements > 0) {
      return "input '" + spec.name() + "' carries no data; set contents." + field;
    }
    int count = TypedContents.count(spec.datatype(), tensor.getContents());
    if (count != elements) {
      return InputData.label(spec, shape)
          + " needs "
          + elements
          + " values in contents."
          + field
          + ", got "
          + count;
    }
    return null;
  }
}
