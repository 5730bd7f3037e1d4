package dev.agora.inference.repository;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions a repository holds, in a Caffeine cache bounded by a memory budget. Each slot weighs
 * its version's {@link ModelFootprint} once the version serves, and nothing while it loads or after
 * it failed. Past the budget, Caffeine's W-TinyLFU policy evicts the least valuable versions; a
 * removed version is retired (it closes when its requests are done), and an evicted one is
 * remembered as UNAVAILABLE with the reason until it loads again.
 */
final class VersionCache {
  private static final Logger log = LoggerFactory.getLogger(VersionCache.class);

  /** Identifies one version of one model. */
  record VersionKey(String model, String version) {}

  private final long budgetBytes;
  private final Cache<VersionKey, VersionSlot> slots;
  private final Map<VersionKey, VersionStatus> evicted = new ConcurrentHashMap<>();

  VersionCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
    this.slots =
        Caffeine.newBuilder()
            .maximumWeight(Math.max(1, budgetBytes / 1024))
            .weigher((VersionKey key, VersionSlot slot) -> slot.weightKiB())
            .executor(Runnable::run)
            .removalListener(this::removed)
            .build();
  }

  long budgetBytes() {
    return budgetBytes;
  }

  /** The slot of {@code key}, counting as a use for the eviction policy. */
  VersionSlot get(VersionKey key) {
    return slots.getIfPresent(key);
  }

  /** The slot of {@code key} without counting a use. */
  VersionSlot peek(VersionKey key) {
    return slots.asMap().get(key);
  }

  /** Atomically replaces or keeps the slot of {@code key}; a new slot clears an eviction note. */
  VersionSlot compute(VersionKey key, BiFunction<VersionKey, VersionSlot, VersionSlot> choose) {
    VersionSlot before = slots.asMap().get(key);
    VersionSlot chosen = slots.asMap().compute(key, choose);
    if (chosen != before) {
      evicted.remove(key);
    }
    return chosen;
  }

  /**
   * Weighs {@code slot} again after its load finished; this may evict versions, itself included.
   */
  void reweigh(VersionKey key, VersionSlot slot) {
    slots.asMap().replace(key, slot, slot);
  }

  /**
   * Evicts the coldest other versions until {@code slot}, which has just loaded on an operator's
   * explicit request, fits the budget beside the rest; the admission policy would otherwise be free
   * to turn the newcomer away.
   */
  void makeRoom(VersionKey key, VersionSlot slot) {
    slots.cleanUp();
    Policy.Eviction<VersionKey, VersionSlot> eviction = slots.policy().eviction().orElseThrow();
    long needed = slot.weightKiB();
    for (VersionKey victim : eviction.coldest(Integer.MAX_VALUE).keySet()) {
      if (eviction.weightedSize().orElse(0) + needed <= eviction.getMaximum()) {
        return;
      }
      VersionSlot removed = victim.equals(key) ? null : slots.asMap().remove(victim);
      if (removed != null) {
        evicted.put(
            victim,
            unavailable(
                victim,
                "unloaded from the model cache to make room for "
                    + slot.published().label()
                    + ", which was loaded explicitly; the next request loads it again"));
      }
    }
  }

  /** Removes every version of {@code model}, forgetting evictions too. */
  void removeModel(String model) {
    evicted.keySet().removeIf(key -> key.model().equals(model));
    for (VersionKey key : List.copyOf(slots.asMap().keySet())) {
      if (key.model().equals(model)) {
        slots.invalidate(key);
      }
    }
  }

  /**
   * Removes {@code key}'s version for good: it closes once its requests are done, and the index
   * reports it UNAVAILABLE with {@code reason}.
   */
  void retire(VersionKey key, String reason) {
    evicted.put(key, unavailable(key, reason));
    slots.asMap().remove(key);
  }

  void removeAll() {
    slots.invalidateAll();
    evicted.clear();
  }

  void cleanUp() {
    slots.cleanUp();
  }

  /** Every slot's status and every remembered eviction, by model then version. */
  List<VersionStatus> statuses() {
    List<VersionStatus> all = new ArrayList<>();
    slots.asMap().values().forEach(slot -> all.add(slot.status()));
    evicted.forEach(
        (key, status) -> {
          if (!slots.asMap().containsKey(key)) {
            all.add(status);
          }
        });
    all.sort(Comparator.comparing(VersionStatus::model).thenComparing(VersionStatus::version));
    return all;
  }

  Optional<VersionStatus> status(VersionKey key) {
    VersionSlot slot = slots.asMap().get(key);
    return slot != null ? Optional.of(slot.status()) : Optional.ofNullable(evicted.get(key));
  }

  List<ServableVersion> ready() {
    return slots.asMap().values().stream()
        .filter(slot -> slot.state() == VersionState.READY)
        .map(slot -> slot.future().join())
        .toList();
  }

  /** The summed estimates of the versions that serve, in bytes (KiB granularity). */
  long footprintBytes() {
    slots.cleanUp();
    return slots.policy().eviction().orElseThrow().weightedSize().orElse(0) * 1024;
  }

  private void removed(VersionKey key, VersionSlot slot, RemovalCause cause) {
    if (key == null || slot == null) {
      return;
    }
    if (cause == RemovalCause.SIZE) {
      evicted.put(
          key,
          unavailable(
              key,
              "evicted from the model cache to stay within its memory budget of "
                  + budgetBytes
                  + " bytes; the next request loads it again"));
      log.info("evicted {} from the model cache", slot.published().label());
    }
    slot.future().thenAccept(ServableVersion::retire);
  }

  private static VersionStatus unavailable(VersionKey key, String reason) {
    return new VersionStatus(key.model(), key.version(), VersionState.UNAVAILABLE, reason);
  }
}
