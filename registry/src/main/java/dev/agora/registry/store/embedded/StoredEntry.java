package dev.agora.registry.store.embedded;

import dev.agora.registry.store.KeyValue;
import java.nio.ByteBuffer;

/** The binary form of one entry in the entries map: three revisions followed by the value. */
final class StoredEntry {
  private static final int HEADER_BYTES = 3 * Long.BYTES;

  private StoredEntry() {}

  static byte[] encode(byte[] value, long createRevision, long modRevision, long version) {
    return ByteBuffer.allocate(HEADER_BYTES + value.length)
        .putLong(createRevision)
        .putLong(modRevision)
        .putLong(version)
        .put(value)
        .array();
  }

  /** The entry after writing {@code value} at {@code revision} over {@code previous} (or null). */
  static byte[] written(byte[] previous, byte[] value, long revision) {
    if (previous == null) {
      return encode(value, revision, revision, 1);
    }
    ByteBuffer prior = ByteBuffer.wrap(previous);
    long createRevision = prior.getLong(0);
    long version = prior.getLong(2 * Long.BYTES);
    return encode(value, createRevision, revision, version + 1);
  }

  static KeyValue decode(String key, byte[] stored) {
    ByteBuffer buffer = ByteBuffer.wrap(stored);
    long createRevision = buffer.getLong();
    long modRevision = buffer.getLong();
    long version = buffer.getLong();
    byte[] value = new byte[buffer.remaining()];
    buffer.get(value);
    return new KeyValue(key, value, createRevision, modRevision, version);
  }

  static long modRevision(byte[] stored) {
    return ByteBuffer.wrap(stored).getLong(Long.BYTES);
  }
}
