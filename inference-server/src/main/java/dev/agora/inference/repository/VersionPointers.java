package dev.agora.inference.repository;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which version serves requests that name no version ("latest") or name an alias. Each pointer has
 * a serving version and, while the catalog moves it, a wanted version: the pointer moves to the
 * wanted version only once that version serves, so requests never wait for (or fail on) a version
 * that is still loading or failed to load.
 *
 * <p>While the server follows the catalog's change feed, pointers are kept current by it and never
 * expire. Without the feed, a pointer is trusted for {@code ttl} and then asked for again.
 */
final class VersionPointers {

  /**
   * What a request selects: {@code selector} is empty for the latest published version, or an alias
   * name.
   */
  record PointerKey(String model, String selector) {}

  private record Pointer(String version, long setAtNanos) {}

  private final Map<PointerKey, Pointer> serving = new ConcurrentHashMap<>();
  private final Map<PointerKey, String> wanted = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private volatile boolean following;

  VersionPointers(Duration ttl, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Pointers stop expiring (true) because the change feed keeps them current, or start again. */
  void following(boolean following) {
    this.following = following;
  }

  boolean following() {
    return following;
  }

  /** The serving version of {@code key}, or null when unknown or expired. */
  String get(PointerKey key) {
    Pointer pointer = serving.get(key);
    if (pointer == null) {
      return null;
    }
    if (!following && nanoTime.getAsLong() - pointer.setAtNanos() >= ttlNanos) {
      serving.remove(key, pointer);
      return null;
    }
    return pointer.version();
  }

  /** Whether {@code key} has a serving version (expired or not). */
  boolean isServing(PointerKey key) {
    return serving.containsKey(key);
  }

  /**
   * Records what the catalog answered when a request found no pointer. A pointer set meanwhile (by
   * the change feed) wins, and so does a move in progress.
   */
  void learned(PointerKey key, String version) {
    if (!wanted.containsKey(key)) {
      serving.putIfAbsent(key, new Pointer(version, nanoTime.getAsLong()));
    }
  }

  /** The catalog moved {@code key} to {@code version}; it serves once {@link #arrived} says so. */
  void want(PointerKey key, String version) {
    wanted.put(key, version);
  }

  /**
   * {@code version} now serves: the pointer moves to it unless the catalog has moved the pointer
   * elsewhere meanwhile. Returns whether it moved.
   */
  boolean arrived(PointerKey key, String version) {
    boolean[] moved = {false};
    wanted.computeIfPresent(
        key,
        (k, target) -> {
          if (!target.equals(version)) {
            return target;
          }
          serving.put(k, new Pointer(version, nanoTime.getAsLong()));
          moved[0] = true;
          return null;
        });
    return moved[0];
  }

  /**
   * {@code version} could not load: the pointer keeps its serving version, and stops waiting for
   * this one unless the catalog has moved it elsewhere meanwhile.
   */
  void abandoned(PointerKey key, String version) {
    wanted.remove(key, version);
  }

  /**
   * Moves {@code key} to {@code version} at once (for pointers nothing is being served through).
   */
  void set(PointerKey key, String version) {
    wanted.remove(key);
    serving.put(key, new Pointer(version, nanoTime.getAsLong()));
  }

  void remove(PointerKey key) {
    wanted.remove(key);
    serving.remove(key);
  }

  void removeModel(String model) {
    wanted.keySet().removeIf(key -> key.model().equals(model));
    serving.keySet().removeIf(key -> key.model().equals(model));
  }

  void clear() {
    wanted.clear();
    serving.clear();
  }
}
