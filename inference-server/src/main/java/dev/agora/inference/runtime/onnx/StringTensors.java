package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.tensor.BytesElements;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BYTES tensors as ONNX string tensors. ONNX strings are byte strings, but ONNX Runtime's Java API
 * only takes and returns {@link String}s (its JNI layer converts with {@code GetStringUTFChars} and
 * {@code NewStringUTF}). So each element must be valid UTF-8: it is decoded strictly (an invalid
 * element is refused with {@code INVALID_TENSOR}, never replaced), and outputs are encoded back as
 * UTF-8. Text round-trips exactly; a model reading the bytes of a NUL or of a character outside the
 * Basic Multilingual Plane sees Java's modified UTF-8 for it.
 */
final class StringTensors {
  private StringTensors() {}

  /** The elements of a BYTES input as strings, in row-major order. */
  static String[] decode(InputTensor input) {
    List<ByteBuffer> elements = BytesElements.elements(input.data());
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String[] strings = new String[elements.size()];
    for (int i = 0; i < strings.length; i++) {
      try {
        strings[i] = utf8.decode(elements.get(i)).toString();
      } catch (CharacterCodingException notText) {
        String problem =
            "element " + i + " of BYTES input '" + input.name() + "' is not valid UTF-8";
        throw AgoraException.builder(
                ErrorReason.INVALID_TENSOR,
                "Invalid inference request: "
                    + problem
                    + "; ONNX Runtime's Java API passes ONNX strings as text.")
            .fieldViolation("inputs", problem)
            .build();
      }
    }
    return strings;
  }

  /** The raw, length-prefixed form of a string output. */
  static ByteBuffer encode(OnnxTensor tensor) throws OrtException {
    List<byte[]> values = new ArrayList<>();
    flatten(tensor.getValue(), values);
    return BytesElements.encode(values);
  }

  private static void flatten(Object value, List<byte[]> into) {
    if (value instanceof String text) {
      into.add(text.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof Object[] array) {
      for (Object element : array) {
        flatten(element, into);
      }
    } else {
      throw new IllegalStateException("unexpected string tensor element " + value);
    }
  }
}
