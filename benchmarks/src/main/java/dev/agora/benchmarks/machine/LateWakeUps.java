package dev.agora.benchmarks.machine;

/**
 * Counts how late a thread woke after asking to sleep: the wake-ups late by more than 0.25, 1 and 5
 * ms, the worst, and the time lost in the ones late by more than 0.25 ms. Not thread-safe: one
 * sleeping thread records into it.
 */
final class LateWakeUps {
  private static final long QUARTER_MS = 250_000;
  private static final long ONE_MS = 1_000_000;
  private static final long FIVE_MS = 5_000_000;

  private long wakeUps;
  private long overQuarterMs;
  private long overOneMs;
  private long overFiveMs;
  private long lostNanos;
  private long worstNanos;

  /** One wake-up, {@code lateNanos} after the time asked for (negative counts as on time). */
  void record(long lateNanos) {
    wakeUps++;
    worstNanos = Math.max(worstNanos, lateNanos);
    if (lateNanos > QUARTER_MS) {
      overQuarterMs++;
      lostNanos += lateNanos;
    }
    if (lateNanos > ONE_MS) {
      overOneMs++;
    }
    if (lateNanos > FIVE_MS) {
      overFiveMs++;
    }
  }

  /** What was recorded over {@code seconds} of sleeping on {@code cores}. */
  Summary summary(String cores, double seconds) {
    return new Summary(
        cores,
        seconds,
        wakeUps,
        overQuarterMs,
        overOneMs,
        overFiveMs,
        overOneMs / seconds,
        worstNanos / 1e6,
        100 * lostNanos / 1e9 / seconds);
  }

  /**
   * One measurement, as written to JSON.
   *
   * @param cores which cores the thread ran on, as the caller pinned it
   * @param seconds how long the thread slept and woke
   * @param wakeUps how many times it woke
   * @param lateOverQuarterMs wake-ups more than 0.25 ms late
   * @param lateOverOneMs wake-ups more than 1 ms late
   * @param lateOverFiveMs wake-ups more than 5 ms late
   * @param lateOverOneMsPerSecond {@code lateOverOneMs} per second
   * @param worstLateMillis the latest wake-up
   * @param percentOfTimeLost the time lost in wake-ups more than 0.25 ms late, in % of the whole
   */
  record Summary(
      String cores,
      double seconds,
      long wakeUps,
      long lateOverQuarterMs,
      long lateOverOneMs,
      long lateOverFiveMs,
      double lateOverOneMsPerSecond,
      double worstLateMillis,
      double percentOfTimeLost) {}
}
