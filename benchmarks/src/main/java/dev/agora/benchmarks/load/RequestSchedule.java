package dev.agora.benchmarks.load;

/**
 * When each request of an open-loop run is meant to start: request {@code i} at {@code start + i /
 * rate}, whatever happened to the ones before it. Latency is measured from these intended times, so
 * a server that stalls is charged for every request it delayed (coordinated omission corrected).
 *
 * @param startNanos the {@link System#nanoTime()} of request 0
 * @param ratePerSecond requests per second, finite and above zero
 */
record RequestSchedule(long startNanos, double ratePerSecond) {
  RequestSchedule {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "the rate must be a positive number, not " + ratePerSecond);
    }
  }

  /** The intended start of request {@code index} (0-based). */
  long intendedStartNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("a request index is not negative: " + index);
    }
    return startNanos + Math.round(index * 1e9 / ratePerSecond);
  }

  /** How many requests are meant to start before {@code nanos}. */
  long requestsBefore(long nanos) {
    if (nanos <= startNanos) {
      return 0;
    }
    long count = (long) Math.ceil((nanos - startNanos) * ratePerSecond / 1e9);
    // rounding in intendedStartNanos may put the boundary request on either side
    while (count > 0 && intendedStartNanos(count - 1) >= nanos) {
      count--;
    }
    while (intendedStartNanos(count) < nanos) {
      count++;
    }
    return count;
  }
}
