package dev.agora.testing.models;

import dev.agora.proto.onnx.TensorProto;
import java.util.Locale;

/**
 * An Open Inference Protocol tensor datatype and the ONNX element type that carries it.
 *
 * <p>{@code BYTES} is ONNX {@code STRING}; {@code BF16} is ONNX {@code BFLOAT16}.
 */
public enum OipDatatype {
  BOOL(TensorProto.DataType.BOOL),
  UINT8(TensorProto.DataType.UINT8),
  UINT16(TensorProto.DataType.UINT16),
  UINT32(TensorProto.DataType.UINT32),
  UINT64(TensorProto.DataType.UINT64),
  INT8(TensorProto.DataType.INT8),
  INT16(TensorProto.DataType.INT16),
  INT32(TensorProto.DataType.INT32),
  INT64(TensorProto.DataType.INT64),
  FP16(TensorProto.DataType.FLOAT16),
  FP32(TensorProto.DataType.FLOAT),
  FP64(TensorProto.DataType.DOUBLE),
  BF16(TensorProto.DataType.BFLOAT16),
  BYTES(TensorProto.DataType.STRING);

  private final TensorProto.DataType onnxType;

  OipDatatype(TensorProto.DataType onnxType) {
    this.onnxType = onnxType;
  }

  /** The ONNX element type ({@code TensorProto.DataType}) of this datatype. */
  public TensorProto.DataType onnxType() {
    return onnxType;
  }

  /**
   * Parses an OIP datatype name such as {@code "FP32"} (case-sensitive, as on the wire).
   *
   * @throws IllegalArgumentException if the name is not an OIP datatype
   */
  public static OipDatatype fromName(String name) {
    for (OipDatatype datatype : values()) {
      if (datatype.name().equals(name)) {
        return datatype;
      }
    }
    throw new IllegalArgumentException("not an Open Inference Protocol datatype: " + name);
  }

  /** The lower-case name used in generated file names, e.g. {@code identity_fp32.onnx}. */
  String fileSuffix() {
    return name().toLowerCase(Locale.ROOT);
  }
}
