package dev.agora.app.http;

import com.google.protobuf.ByteString;

/**
 * The binary part of a request body under Triton's binary tensor extension: tensors in the order
 * the JSON names them, each {@code binary_data_size} bytes long.
 */
final class BinarySection {
  private final ByteString bytes;
  private int offset;

  BinarySection(ByteString bytes) {
    this.bytes = bytes;
  }

  /** The next {@code size} bytes, for input {@code input}. */
  ByteString take(String input, long size) {
    if (size < 0 || size > bytes.size() - offset) {
      throw new RestException(
          400,
          "input '"
              + input
              + "' claims "
              + size
              + " bytes of binary data but only "
              + (bytes.size() - offset)
              + " remain in the body");
    }
    ByteString slice = bytes.substring(offset, offset + (int) size);
    offset += (int) size;
    return slice;
  }

  /** Refuses a body with binary data that no input claimed. */
  void requireConsumed() {
    if (offset != bytes.size()) {
      throw new RestException(
          400,
          (bytes.size() - offset)
              + " bytes of binary data follow the JSON header but no input claims them");
    }
  }
}
