package dev.agora.inference.statistics;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram of non-negative {@code long} observations (nanoseconds, rows), in the
 * shape Prometheus calls a classic histogram: one counter per upper bound plus one for everything
 * above the last bound, and the sum of all observations.
 *
 * <p>Recording allocates nothing and takes no lock (a binary search over the bounds and two {@link
 * LongAdder} increments), so it can sit on the request path. Safe for concurrent updates; a {@link
 * #snapshot()} taken during updates may be off by the observations in flight.
 */
public final class Histogram {

  /** The counts at one moment: {@code counts[i]} observations fell in bucket {@code i}. */
  public record Snapshot(long[] upperBounds, long[] counts, long sum) {
    /**
     * @param upperBounds inclusive upper bounds, ascending; the last bucket ({@code
     *     counts[upperBounds.length]}) has no bound
     * @param counts per bucket, not cumulative, one more than there are bounds
     */
    public Snapshot {
      if (counts.length != upperBounds.length + 1) {
        throw new IllegalArgumentException("need one count per bound plus one for the overflow");
      }
    }

    /** How many observations there were. */
    public long count() {
      long total = 0;
      for (long count : counts) {
        total += count;
      }
      return total;
    }
  }

  private final long[] upperBounds;
  private final LongAdder[] counts;
  private final LongAdder sum = new LongAdder();

  /**
   * A histogram with these inclusive upper bounds.
   *
   * @throws IllegalArgumentException if the bounds are empty or not strictly ascending
   */
  public Histogram(long... upperBounds) {
    if (upperBounds.length == 0) {
      throw new IllegalArgumentException("a histogram needs at least one bound");
    }
    for (int i = 1; i < upperBounds.length; i++) {
      if (upperBounds[i] <= upperBounds[i - 1]) {
        throw new IllegalArgumentException("bounds must be strictly ascending");
      }
    }
    this.upperBounds = upperBounds.clone();
    this.counts = new LongAdder[upperBounds.length + 1];
    Arrays.setAll(counts, i -> new LongAdder());
  }

  /** Counts one observation; a negative one (a clock step) is counted as zero. */
  public void observe(long value) {
    long observed = Math.max(0, value);
    int found = Arrays.binarySearch(upperBounds, observed);
    counts[found >= 0 ? found : -found - 1].increment();
    sum.add(observed);
  }

  /** The counts now. */
  public Snapshot snapshot() {
    long[] read = new long[counts.length];
    for (int i = 0; i < read.length; i++) {
      read[i] = counts[i].sum();
    }
    return new Snapshot(upperBounds.clone(), read, sum.sum());
  }
}
