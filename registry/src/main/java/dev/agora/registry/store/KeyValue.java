package dev.agora.registry.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored key with its value and revisions.
 *
 * @param key the key
 * @param value the value bytes (a serialized protobuf message); copied on the way in and out
 * @param createRevision the revision of the write that created the key (since its last deletion)
 * @param modRevision the revision of the last write to the key
 * @param version how many times the key was written since it was created, starting at 1
 */
public record KeyValue(
    String key, byte[] value, long createRevision, long modRevision, long version) {

  /** Checks the invariants and copies the value. */
  public KeyValue {
    Objects.requireNonNull(key, "key");
    value = Objects.requireNonNull(value, "value").clone();
    if (createRevision <= 0 || modRevision < createRevision || version <= 0) {
      throw new IllegalArgumentException(
          "a key value needs 0 < createRevision <= modRevision and version > 0, got "
              + createRevision
              + ", "
              + modRevision
              + ", "
              + version);
    }
  }

  /** A copy of the value bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyValue that
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && createRevision == that.createRevision
        && modRevision == that.modRevision
        && version == that.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
  }

  @Override
  public String toString() {
    return "KeyValue[key="
        + key
        + ", valueBytes="
        + value.length
        + ", createRevision="
        + createRevision
        + ", modRevision="
        + modRevision
        + ", version="
        + version
        + "]";
  }
}
