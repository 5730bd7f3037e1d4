package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agora.inference.tensor.Datatype;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Converts between the REST API's JSON tensor values (numbers, booleans, strings in row-major
 * order) and the protocol's raw little-endian bytes, which the gRPC service consumes and produces.
 *
 * <p>As Triton's server does, non-finite floats are written as the bare tokens {@code NaN}, {@code
 * Infinity} and {@code -Infinity} (what Python's {@code json} reads and writes), and every integer,
 * UINT64 included, as a JSON number.
 */
final class TensorJson {
  private TensorJson() {}

  /**
   * The raw little-endian bytes of {@code values} as {@code datatype}.
   *
   * @throws RestException when a value does not fit the datatype
   */
  static byte[] toRaw(String input, Datatype datatype, List<Object> values) {
    if (datatype == Datatype.BYTES) {
      return bytesToRaw(values);
    }
    ByteBuffer raw =
        ByteBuffer.allocate(Math.multiplyExact(values.size(), datatype.elementBytes()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (Object value : values) {
      putValue(raw, input, datatype, value);
    }
    return raw.array();
  }

  private static void putValue(ByteBuffer raw, String input, Datatype datatype, Object value) {
    switch (datatype) {
      case BOOL -> raw.put((byte) (asBoolean(input, value) ? 1 : 0));
      case INT8, UINT8 -> raw.put((byte) asLong(input, datatype, value, 8));
      case INT16, UINT16 -> raw.putShort((short) asLong(input, datatype, value, 16));
      case INT32, UINT32 -> raw.putInt((int) asLong(input, datatype, value, 32));
      case INT64, UINT64 -> raw.putLong(asLong(input, datatype, value, 64));
      case FP16 -> raw.putShort(HalfFloats.toHalf(asDouble(input, value)));
      case BF16 -> raw.putShort(HalfFloats.toBfloat16(asDouble(input, value)));
      case FP32 -> raw.putFloat((float) asDouble(input, value));
      case FP64 -> raw.putDouble(asDouble(input, value));
      case BYTES -> throw new IllegalStateException("BYTES is encoded separately");
    }
  }

  private static byte[] bytesToRaw(List<Object> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object value : values) {
      byte[] element = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length).array());
      out.writeBytes(element);
    }
    return out.toByteArray();
  }

  private static boolean asBoolean(String input, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Long l && (l == 0 || l == 1)) {
      return l == 1;
    }
    throw new RestException(400, "input '" + input + "': BOOL values must be true or false");
  }

  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static long asLong(String input, Datatype datatype, Object value, int bits) {
    if (value instanceof BigInteger big) {
      if (datatype != Datatype.UINT64 || big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
        throw new RestException(
            400, "input '" + input + "': " + big + " is out of range for " + datatype);
      }
      return big.longValue(); // the low 64 bits: the unsigned value's bit pattern
    }
    if (!(value instanceof Long l)) {
      throw new RestException(
          400, "input '" + input + "': " + datatype + " values must be integers, got " + value);
    }
    boolean unsigned = datatype.name().startsWith("U");
    long min = unsigned ? 0 : (bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1)));
    long max = bits == 64 ? Long.MAX_VALUE : (unsigned ? (1L << bits) - 1 : (1L << (bits - 1)) - 1);
    if (l < min || l > max) {
      throw new RestException(
          400, "input '" + input + "': " + l + " is out of range for " + datatype);
    }
    return l;
  }

  private static double asDouble(String input, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new RestException(400, "input '" + input + "': expected a number, got " + value);
  }

  /** Writes the elements of {@code raw} as a flat JSON array. */
  static void writeValues(JsonGenerator json, Datatype datatype, ByteBuffer raw)
      throws IOException {
    ByteBuffer in = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    json.writeStartArray();
    while (in.hasRemaining()) {
      writeValue(json, datatype, in);
    }
    json.writeEndArray();
  }

  private static void writeValue(JsonGenerator json, Datatype datatype, ByteBuffer in)
      throws IOException {
    switch (datatype) {
      case BOOL -> json.writeBoolean(in.get() != 0);
      case INT8 -> json.writeNumber(in.get());
      case UINT8 -> json.writeNumber(in.get() & 0xff);
      case INT16 -> json.writeNumber(in.getShort());
      case UINT16 -> json.writeNumber(in.getShort() & 0xffff);
      case INT32 -> json.writeNumber(in.getInt());
      case UINT32 -> json.writeNumber(in.getInt() & 0xffffffffL);
      case INT64 -> json.writeNumber(in.getLong());
      case UINT64 -> writeUnsigned(json, in.getLong());
      case FP16 -> writeFloat(json, HalfFloats.fromHalf(in.getShort()));
      case BF16 -> writeFloat(json, HalfFloats.fromBfloat16(in.getShort()));
      case FP32 -> writeFloat(json, in.getFloat());
      case FP64 -> writeDouble(json, in.getDouble());
      case BYTES -> {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
          throw new IOException("a BYTES element claims more bytes than the output holds");
        }
        byte[] element = new byte[length];
        in.get(element);
        json.writeString(new String(element, StandardCharsets.UTF_8));
      }
    }
  }

  private static void writeUnsigned(JsonGenerator json, long bits) throws IOException {
    if (bits >= 0) {
      json.writeNumber(bits);
    } else {
      json.writeNumber(Long.toUnsignedString(bits)); // written unquoted, as a number
    }
  }

  private static void writeFloat(JsonGenerator json, float value) throws IOException {
    if (Float.isFinite(value)) {
      json.writeNumber(value);
    } else {
      json.writeNumber(nonFinite(value));
    }
  }

  private static void writeDouble(JsonGenerator json, double value) throws IOException {
    if (Double.isFinite(value)) {
      json.writeNumber(value);
    } else {
      json.writeNumber(nonFinite(value));
    }
  }

  /** The bare token for a non-finite value; {@code writeNumber(String)} writes it unquoted. */
  private static String nonFinite(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    return value > 0 ? "Infinity" : "-Infinity";
  }
}
