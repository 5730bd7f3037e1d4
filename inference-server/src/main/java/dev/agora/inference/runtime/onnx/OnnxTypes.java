package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.agora.inference.tensor.Datatype;

/** Maps between ONNX Runtime's element types and Agora's {@link Datatype}. */
final class OnnxTypes {
  private OnnxTypes() {}

  /** The datatype of an ONNX element type, or null when Agora has none for it. */
  static Datatype datatype(OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Datatype.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> Datatype.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> Datatype.UINT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> Datatype.UINT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> Datatype.UINT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> Datatype.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> Datatype.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Datatype.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Datatype.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> Datatype.FP16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Datatype.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Datatype.FP64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> Datatype.BF16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Datatype.BYTES;
      default -> null;
    };
  }

  /**
   * The Java-side type ONNX Runtime needs to create an input tensor of {@code datatype} from a
   * buffer. Unsigned 16/32/64-bit inputs are fed as the signed type of the same width, which is
   * what {@link UnsignedInputs} rewrites their graph inputs to; BYTES is {@link
   * OnnxJavaType#STRING}, created from strings rather than a buffer.
   */
  static OnnxJavaType inputType(Datatype datatype) {
    return switch (datatype) {
      case BOOL -> OnnxJavaType.BOOL;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT8 -> OnnxJavaType.INT8;
      case INT16, UINT16 -> OnnxJavaType.INT16;
      case INT32, UINT32 -> OnnxJavaType.INT32;
      case INT64, UINT64 -> OnnxJavaType.INT64;
      case FP16 -> OnnxJavaType.FLOAT16;
      case FP32 -> OnnxJavaType.FLOAT;
      case FP64 -> OnnxJavaType.DOUBLE;
      case BF16 -> OnnxJavaType.BFLOAT16;
      case BYTES -> OnnxJavaType.STRING;
    };
  }

  /**
   * Whether an output of this type can be written into a buffer Agora provides: every fixed-size
   * type the Java API can describe (not BYTES, not unsigned 16/32/64-bit).
   */
  static boolean pinnableOutput(Datatype datatype) {
    return datatype != Datatype.BYTES && !needsSignedInput(datatype);
  }

  /** Whether ONNX Runtime's Java API needs {@link UnsignedInputs} to feed an input of this type. */
  static boolean needsSignedInput(Datatype datatype) {
    return datatype == Datatype.UINT16
        || datatype == Datatype.UINT32
        || datatype == Datatype.UINT64;
  }
}
