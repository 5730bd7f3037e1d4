package dev.agora.registry.usage;

import dev.agora.common.error.AgoraException;
import dev.agora.registry.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes usage records older than the retention period: at start and then every {@link #INTERVAL},
 * the records of days before {@code today - retention} and the records of reporters whose last
 * report is older than the retention ({@link UsageLedger#prune}).
 *
 * <p>Every registry replica runs one; deletions require the records to be unchanged since they were
 * read, so replicas pruning at once delete each record once. A run that fails (the store
 * unavailable) is logged and repeated at the next interval.
 */
public final class UsageRetention implements AutoCloseable {
  /** How often the retention runs. */
  public static final Duration INTERVAL = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(UsageRetention.class);

  private final UsageLedger ledger;
  private final Duration retention;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;

  private UsageRetention(
      UsageLedger ledger,
      Duration retention,
      InstantSource clock,
      ScheduledExecutorService scheduler) {
    this.ledger = ledger;
    this.retention = retention;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /**
   * Starts pruning on {@code scheduler}: at once, then {@link #INTERVAL} after each run ends. The
   * scheduler belongs to the returned object from now on, which shuts it down on {@link #close}.
   *
   * @param retention how long usage records are kept
   * @param clock what "today" is
   */
  public static UsageRetention start(
      MetadataStore store,
      Duration retention,
      InstantSource clock,
      ScheduledExecutorService scheduler) {
    UsageRetention pruning =
        new UsageRetention(new UsageLedger(store), retention, clock, scheduler);
    scheduler.scheduleWithFixedDelay(
        pruning::pruneQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return pruning;
  }

  /**
   * Removes what is older than the retention now; the schedule calls this.
   *
   * @return how many records were removed
   * @throws AgoraException {@code STORE_UNAVAILABLE} when the store cannot be read or written
   */
  public int pruneNow() {
    Instant now = clock.instant();
    Instant oldestKept = now.minus(retention);
    LocalDate firstKeptDay = LocalDate.ofInstant(oldestKept, ZoneOffset.UTC);
    int removed = ledger.prune(firstKeptDay, oldestKept);
    if (removed > 0) {
      log.info("removed {} usage records older than {} ({})", removed, firstKeptDay, retention);
    }
    return removed;
  }

  private void pruneQuietly() {
    try {
      pruneNow();
    } catch (AgoraException e) {
      log.warn(
          "could not remove old usage records ({}: {}); trying again in {}",
          e.reason(),
          e.getMessage(),
          INTERVAL);
    } catch (RuntimeException e) {
      log.warn("could not remove old usage records; trying again in {}", INTERVAL, e);
    }
  }

  /** Stops the schedule; a run in progress finishes. */
  @Override
  public void close() {
    scheduler.shutdown();
  }
}
