package dev.agora.registry.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of a prefix range read.
 *
 * @param kvs the keys found, in byte order of their UTF-8 encoding
 * @param more whether further keys with the prefix follow the last one returned
 * @param revision the store revision the read observed
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long revision) {

  /** Copies the list. */
  public RangeResult {
    kvs = List.copyOf(Objects.requireNonNull(kvs, "kvs"));
  }

  /** The key of the last entry, to pass as {@code startAfterKey} for the next page. */
  public String lastKey() {
    if (kvs.isEmpty()) {
      throw new IllegalStateException("an empty range has no last key");
    }
    return kvs.get(kvs.size() - 1).key();
  }
}
