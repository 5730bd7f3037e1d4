package dev.agora.registry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import java.util.Arrays;

/**
 * Translates store keys to etcd keys and back: the UTF-8 bytes of the key behind the configured
 * namespace. etcd orders keys by their bytes, which is the order the SPI promises.
 */
final class EtcdKeys {
  /** The smallest key etcd accepts; as a range end it means "to the end of the key space". */
  private static final byte[] ZERO = {0};

  private final byte[] namespace;

  EtcdKeys(String namespace) {
    this.namespace = namespace.getBytes(UTF_8);
  }

  /** The etcd key for a store key. */
  ByteSequence key(String key) {
    byte[] bytes = withNamespace(key);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a metadata key cannot be empty");
    }
    return ByteSequence.from(bytes);
  }

  /** The store key for an etcd key inside the namespace. */
  String storeKey(ByteSequence etcdKey) {
    byte[] bytes = etcdKey.getBytes();
    return new String(bytes, namespace.length, bytes.length - namespace.length, UTF_8);
  }

  /**
   * The first etcd key of a range over {@code prefix}: the prefix itself, or just after {@code
   * startAfterKey} when that sorts at or after the prefix.
   */
  ByteSequence rangeStart(String prefix, String startAfterKey) {
    byte[] start = withNamespace(prefix);
    if (startAfterKey != null) {
      byte[] after = withNamespace(startAfterKey);
      if (Arrays.compareUnsigned(after, start) >= 0) {
        start = Arrays.copyOf(after, after.length + 1);
      }
    }
    return ByteSequence.from(start.length == 0 ? ZERO : start);
  }

  /** The first etcd key after every key that starts with {@code prefix}. */
  ByteSequence rangeEnd(String prefix) {
    byte[] end = withNamespace(prefix);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        byte[] next = Arrays.copyOf(end, i + 1);
        next[i]++;
        return ByteSequence.from(next);
      }
    }
    return ByteSequence.from(ZERO);
  }

  /** The size of the namespace in bytes, which every key sent carries. */
  int namespaceBytes() {
    return namespace.length;
  }

  private byte[] withNamespace(String key) {
    byte[] bytes = key.getBytes(UTF_8);
    byte[] joined = Arrays.copyOf(namespace, namespace.length + bytes.length);
    System.arraycopy(bytes, 0, joined, namespace.length, bytes.length);
    return joined;
  }
}
