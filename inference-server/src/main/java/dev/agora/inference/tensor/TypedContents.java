package dev.agora.inference.tensor;

import dev.agora.proto.inference.InferTensorContents;
import java.nio.ByteBuffer;

/**
 * Reads the typed {@code InferTensorContents} fields into little-endian raw bytes. Each datatype
 * has exactly one field; FP16 and BF16 have none (they travel only raw, as in Triton), and BYTES
 * values in {@code bytes_contents} are turned into the length-prefixed raw form by {@link
 * BytesElements}.
 */
final class TypedContents {
  private TypedContents() {}

  /** The {@code contents} field that carries values of {@code datatype}, or null when none. */
  static String fieldName(Datatype datatype) {
    return switch (datatype) {
      case BOOL -> "bool_contents";
      case UINT8, UINT16, UINT32 -> "uint_contents";
      case UINT64 -> "uint64_contents";
      case INT8, INT16, INT32 -> "int_contents";
      case INT64 -> "int64_contents";
      case FP32 -> "fp32_contents";
      case FP64 -> "fp64_contents";
      case BYTES -> "bytes_contents";
      case FP16, BF16 -> null;
    };
  }

  /** How many values {@code contents} holds in the field for {@code datatype}. */
  static int count(Datatype datatype, InferTensorContents contents) {
    return switch (datatype) {
      case BOOL -> contents.getBoolContentsCount();
      case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
      case UINT64 -> contents.getUint64ContentsCount();
      case INT8, INT16, INT32 -> contents.getIntContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case BYTES -> contents.getBytesContentsCount();
      case FP16, BF16 -> 0;
    };
  }

  /**
   * Writes every value into {@code target} (little-endian, already sized by the caller after the
   * count was checked). Returns a description of the first value out of the datatype's range, or
   * null when all fit.
   */
  static String write(Datatype datatype, InferTensorContents contents, ByteBuffer target) {
    int count = count(datatype, contents);
    for (int i = 0; i < count; i++) {
      String problem = writeOne(datatype, contents, i, target);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String writeOne(
      Datatype datatype, InferTensorContents contents, int i, ByteBuffer target) {
    switch (datatype) {
      case BOOL -> target.put((byte) (contents.getBoolContents(i) ? 1 : 0));
      case UINT8 -> {
        return putUnsigned(contents.getUintContents(i), 0xFF, i, target);
      }
      case UINT16 -> {
        return putUnsigned(contents.getUintContents(i), 0xFFFF, i, target);
      }
      case UINT32 -> target.putInt(contents.getUintContents(i));
      case UINT64 -> target.putLong(contents.getUint64Contents(i));
      case INT8 -> {
        return putSigned(contents.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE, i, target);
      }
      case INT16 -> {
        return putSigned(contents.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE, i, target);
      }
      case INT32 -> target.putInt(contents.getIntContents(i));
      case INT64 -> target.putLong(contents.getInt64Contents(i));
      case FP32 -> target.putFloat(contents.getFp32Contents(i));
      case FP64 -> target.putDouble(contents.getFp64Contents(i));
      case FP16, BF16, BYTES -> throw new IllegalStateException(datatype + " has no typed form");
    }
    return null;
  }

  private static String putUnsigned(int value, int mask, int index, ByteBuffer target) {
    if ((value & ~mask) != 0) {
      return "value " + Integer.toUnsignedString(value) + " at index " + index + " exceeds " + mask;
    }
    if (mask == 0xFF) {
      target.put((byte) value);
    } else {
      target.putShort((short) value);
    }
    return null;
  }

  private static String putSigned(int value, int min, int max, int index, ByteBuffer target) {
    if (value < min || value > max) {
      return "value " + value + " at index " + index + " is outside [" + min + ", " + max + "]";
    }
    if (max == Byte.MAX_VALUE) {
      target.put((byte) value);
    } else {
      target.putShort((short) value);
    }
    return null;
  }
}
