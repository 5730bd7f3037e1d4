package dev.agora.registry.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One change delivered by a watch.
 *
 * @param type whether the key was written or deleted
 * @param key the key that changed
 * @param value the new value for {@link Type#PUT}, empty for {@link Type#DELETE}; copied
 * @param modRevision the revision of the transaction that made the change
 */
public record WatchEvent(Type type, String key, byte[] value, long modRevision) {

  /** What happened to the key. */
  public enum Type {
    PUT,
    DELETE
  }

  /** Checks the fields and copies the value. */
  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    value = Objects.requireNonNull(value, "value").clone();
    if (modRevision <= 0) {
      throw new IllegalArgumentException("a watch event needs a positive revision");
    }
  }

  /** A copy of the value bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WatchEvent that
        && type == that.type
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && modRevision == that.modRevision;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, key, Arrays.hashCode(value), modRevision);
  }

  @Override
  public String toString() {
    return "WatchEvent[" + type + " " + key + " @" + modRevision + "]";
  }
}
