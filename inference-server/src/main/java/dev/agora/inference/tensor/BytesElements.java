package dev.agora.inference.tensor;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw form of {@link Datatype#BYTES} tensors: every element is a 4-byte little-endian length
 * followed by that many bytes, elements in row-major order. The form concatenates: two such buffers
 * back to back are the elements of both. Validation walks the prefixes without allocating anything
 * sized from them.
 */
public final class BytesElements {
  /** Bytes of one length prefix. */
  public static final int PREFIX_BYTES = 4;

  private BytesElements() {}

  /**
   * What is wrong with {@code raw} as {@code elements} BYTES elements, or null when it holds
   * exactly that many well-formed elements and nothing else.
   */
  static String rawProblem(ByteString raw, long elements) {
    long size = raw.size();
    long position = 0;
    long count = 0;
    while (position < size) {
      if (size - position < PREFIX_BYTES) {
        return "element " + count + " has a truncated length prefix at byte " + position;
      }
      long length = prefixAt(raw, (int) position);
      long remaining = size - position - PREFIX_BYTES;
      if (length > remaining) {
        return "element "
            + count
            + " claims "
            + length
            + " bytes at byte "
            + position
            + " but only "
            + remaining
            + " follow";
      }
      position += PREFIX_BYTES + length;
      count++;
      if (count > elements) {
        return "it holds more than the " + elements + " elements its shape needs";
      }
    }
    return count == elements
        ? null
        : "it holds " + count + " elements but its shape needs " + elements;
  }

  /** The raw form of {@code values}, in order. */
  static ByteBuffer fromValues(List<ByteString> values) {
    long total = 0;
    for (ByteString value : values) {
      total += PREFIX_BYTES + (long) value.size();
    }
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
    for (ByteString value : values) {
      buffer.putInt(value.size());
      value.copyTo(buffer);
    }
    return buffer.flip();
  }

  /** The raw form of {@code values}, in order. */
  public static ByteBuffer encode(List<byte[]> values) {
    long total = 0;
    for (byte[] value : values) {
      total += PREFIX_BYTES + (long) value.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] value : values) {
      buffer.putInt(value.length).put(value);
    }
    return buffer.flip();
  }

  /**
   * Each element of a validated raw buffer as a read-only view, in order. The views share the
   * buffer's memory.
   */
  public static List<ByteBuffer> elements(ByteBuffer data) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<ByteBuffer> elements = new ArrayList<>();
    while (in.remaining() >= PREFIX_BYTES) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("malformed BYTES element at " + in.position());
      }
      ByteBuffer element = in.slice(in.position(), length).asReadOnlyBuffer();
      elements.add(element);
      in.position(in.position() + length);
    }
    return elements;
  }

  /**
   * The byte offset, relative to the buffer's position, where each of {@code rows} rows of {@code
   * elementsPerRow} elements starts, plus the end offset; null when the buffer does not hold that
   * many elements.
   */
  public static int[] rowOffsets(ByteBuffer data, long rows, long elementsPerRow) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = in.position();
    int[] offsets = new int[Math.toIntExact(rows + 1)];
    for (int row = 0; row < rows; row++) {
      offsets[row] = in.position() - start;
      for (long e = 0; e < elementsPerRow; e++) {
        if (in.remaining() < PREFIX_BYTES) {
          return null;
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
          return null;
        }
        in.position(in.position() + length);
      }
    }
    offsets[offsets.length - 1] = in.position() - start;
    return offsets;
  }

  private static long prefixAt(ByteString raw, int position) {
    return (raw.byteAt(position) & 0xFFL)
        | (raw.byteAt(position + 1) & 0xFFL) << 8
        | (raw.byteAt(position + 2) & 0xFFL) << 16
        | (raw.byteAt(position + 3) & 0xFFL) << 24;
  }
}
