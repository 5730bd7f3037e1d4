package dev.agora.registry.events;

import java.util.Objects;

/**
 * One key's change as the feed sees it: the value before and after one store revision. The arrays
 * are shared, not copied: nobody modifies them.
 *
 * @param key the key that changed
 * @param revision the store revision of the change
 * @param previous the value before the change, or null when the key did not exist
 * @param current the value after the change, or null when the key was deleted
 */
record StoredChange(String key, long revision, byte[] previous, byte[] current) {

  StoredChange {
    Objects.requireNonNull(key, "key");
    if (revision <= 0) {
      throw new IllegalArgumentException("a change needs a positive revision");
    }
  }

  boolean created() {
    return previous == null && current != null;
  }

  boolean deleted() {
    return current == null;
  }
}
