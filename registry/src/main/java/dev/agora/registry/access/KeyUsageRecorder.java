package dev.agora.registry.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects when keys were last used and writes those times to the store in batches: a busy key
 * costs one write per flush interval, not one per call. Times are approximate by up to one interval
 * (and lost on a crash, which is acceptable for a "last used" hint).
 */
final class KeyUsageRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyUsageRecorder.class);

  private final KeyDirectory keys;
  private final ScheduledExecutorService flusher;
  private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

  /**
   * A recorder that flushes every {@code interval} on {@code flusher}, which it owns and shuts down
   * on close.
   */
  KeyUsageRecorder(KeyDirectory keys, ScheduledExecutorService flusher, Duration interval) {
    this.keys = keys;
    this.flusher = flusher;
    flusher.scheduleWithFixedDelay(
        this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Notes that key {@code id} was used at {@code at}; only the latest time per key is kept. */
  void record(String id, Instant at) {
    pending.merge(id, at, (earlier, later) -> later.isAfter(earlier) ? later : earlier);
  }

  /** How many keys have a time waiting to be written. */
  int pendingKeys() {
    return pending.size();
  }

  /** Writes every waiting time now. */
  void flush() {
    for (String id : List.copyOf(pending.keySet())) {
      Instant at = pending.remove(id);
      if (at == null) {
        continue;
      }
      try {
        keys.recordLastUsed(id, at);
      } catch (RuntimeException e) {
        record(id, at);
        throw e;
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("could not record when API keys were last used; retrying at the next flush", e);
    }
  }

  /** Stops the schedule and writes what is waiting. */
  @Override
  public void close() {
    flusher.shutdown();
    try {
      if (!flusher.awaitTermination(10, TimeUnit.SECONDS)) {
        flusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      flusher.shutdownNow();
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }
}
