package dev.agora.ratelimit.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link UsageMeter}, validated on construction.
 *
 * @param flushInterval how often the counts are reported; 100 ms to 1 hour
 * @param maxTrackedEntries the most (day, team, key, model, version) entries held in memory; a call
 *     that would need one more is counted only in {@link UsageMeter#untrackedCalls()} and logged.
 *     Bounds memory while reports keep failing.
 * @param maxCountsPerReport the most entries handed to the sink in one call; 1 to 50 (the
 *     registry's limit per {@code ReportUsage})
 */
public record UsageMeterConfig(
    Duration flushInterval, int maxTrackedEntries, int maxCountsPerReport) {
  /** The registry's limit of counts per {@code ReportUsage} request. */
  public static final int MAX_COUNTS_PER_REPORT = 50;

  private static final Duration MIN_FLUSH_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_FLUSH_INTERVAL = Duration.ofHours(1);

  /** Checks the settings. */
  public UsageMeterConfig {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.compareTo(MIN_FLUSH_INTERVAL) < 0
        || flushInterval.compareTo(MAX_FLUSH_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "the usage flush interval must be between 100 ms and 1 hour, got " + flushInterval);
    }
    if (maxTrackedEntries < 1) {
      throw new IllegalArgumentException(
          "maxTrackedEntries must be at least 1, got " + maxTrackedEntries);
    }
    if (maxCountsPerReport < 1 || maxCountsPerReport > MAX_COUNTS_PER_REPORT) {
      throw new IllegalArgumentException(
          "maxCountsPerReport must be between 1 and "
              + MAX_COUNTS_PER_REPORT
              + ", got "
              + maxCountsPerReport);
    }
  }

  /** Every 10 seconds, at most 100,000 entries, 50 counts per report. */
  public static UsageMeterConfig defaults() {
    return new UsageMeterConfig(Duration.ofSeconds(10), 100_000, MAX_COUNTS_PER_REPORT);
  }

  /** A copy that reports every {@code interval}. */
  public UsageMeterConfig withFlushInterval(Duration interval) {
    return new UsageMeterConfig(interval, maxTrackedEntries, maxCountsPerReport);
  }
}
