package dev.agora.inference.tensor;

import com.google.protobuf.ByteString;
import dev.agora.proto.inference.ModelInferRequest;
import java.util.Arrays;

/**
 * The checks of one input's data (raw bytes or typed values) against its declared shape, run before
 * anything is allocated for it.
 */
final class InputData {
  private InputData() {}

  /**
   * What is wrong with the data of input {@code index}, or null when it matches.
   *
   * @param needed the byte size of a fixed-size tensor of {@code shape}, or the element count of a
   *     BYTES one
   */
  static String problem(
      ModelInferRequest request, int index, TensorSignature spec, long[] shape, long needed) {
    Datatype datatype = spec.datatype();
    if (request.getRawInputContentsCount() > 0) {
      ByteString raw = request.getRawInputContents(index);
      if (datatype == Datatype.BYTES) {
        String problem = BytesElements.rawProblem(raw, needed);
        return problem == null
            ? null
            : label(spec, shape)
                + " of BYTES is malformed in raw_input_contents["
                + index
                + "]: "
                + problem;
      }
      long actual = raw.size();
      return actual == needed
          ? null
          : label(spec, shape)
              + " of "
              + datatype
              + " needs "
              + needed
              + " bytes, but raw_input_contents["
              + index
              + "] holds "
              + actual;
    }
    long elements = datatype.fixedSize() ? needed / datatype.elementBytes() : needed;
    return TensorShapes.typedCountProblem(spec, request.getInputs(index), elements, shape);
  }

  /** Names an input and its shape in a sentence: {@code input 'x' with shape [1, 4]}. */
  static String label(TensorSignature spec, long[] shape) {
    return "input '" + spec.name() + "' with shape " + Arrays.toString(shape);
  }

  /** The bytes input {@code index} occupies once decoded; its data must have passed the checks. */
  static long byteSize(ModelInferRequest request, int index, TensorSignature spec, long needed) {
    if (spec.datatype().fixedSize()) {
      return needed;
    }
    if (request.getRawInputContentsCount() > 0) {
      return request.getRawInputContents(index).size();
    }
    long total = 0;
    for (ByteString value : request.getInputs(index).getContents().getBytesContentsList()) {
      total += BytesElements.PREFIX_BYTES + (long) value.size();
    }
    return total;
  }
}
