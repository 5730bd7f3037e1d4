package dev.agora.inference.tensor;

import dev.agora.proto.inference.DataType;
import java.util.Optional;

/**
 * The Open Inference Protocol tensor datatypes, with the size of one element on the wire and the
 * matching Triton {@code DataType} used in {@code ModelConfig}.
 */
public enum Datatype {
  BOOL(1, DataType.TYPE_BOOL),
  UINT8(1, DataType.TYPE_UINT8),
  UINT16(2, DataType.TYPE_UINT16),
  UINT32(4, DataType.TYPE_UINT32),
  UINT64(8, DataType.TYPE_UINT64),
  INT8(1, DataType.TYPE_INT8),
  INT16(2, DataType.TYPE_INT16),
  INT32(4, DataType.TYPE_INT32),
  INT64(8, DataType.TYPE_INT64),
  FP16(2, DataType.TYPE_FP16),
  FP32(4, DataType.TYPE_FP32),
  FP64(8, DataType.TYPE_FP64),
  BF16(2, DataType.TYPE_BF16),
  /** Variable-length elements, each a 4-byte little-endian length followed by the bytes. */
  BYTES(0, DataType.TYPE_STRING);

  private final int elementBytes;
  private final DataType tritonType;

  Datatype(int elementBytes, DataType tritonType) {
    this.elementBytes = elementBytes;
    this.tritonType = tritonType;
  }

  /** The name on the wire, e.g. {@code FP32}. */
  public String oipName() {
    return name();
  }

  /** Bytes per element in raw contents; 0 for {@link #BYTES}, whose elements vary in size. */
  public int elementBytes() {
    return elementBytes;
  }

  /** Whether every element has the same size ({@link #elementBytes()} is meaningful). */
  public boolean fixedSize() {
    return elementBytes > 0;
  }

  /** The {@code TYPE_*} value Triton's {@code ModelConfig} uses for this datatype. */
  public DataType tritonType() {
    return tritonType;
  }

  /** The datatype named {@code oipName} (exact, upper case), or empty when there is none. */
  public static Optional<Datatype> fromOipName(String oipName) {
    for (Datatype datatype : values()) {
      if (datatype.name().equals(oipName)) {
        return Optional.of(datatype);
      }
    }
    return Optional.empty();
  }
}
