package dev.agora.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one run's successful calls, in microseconds (HdrHistogram, three significant
 * digits).
 */
record LatencySummary(
    long count,
    double p50Micros,
    double p90Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    double meanMicros) {

  /** The summary of a histogram of nanoseconds; all zero for an empty one. */
  static LatencySummary of(Histogram nanos) {
    if (nanos.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        nanos.getTotalCount(),
        micros(nanos.getValueAtPercentile(50)),
        micros(nanos.getValueAtPercentile(90)),
        micros(nanos.getValueAtPercentile(99)),
        micros(nanos.getValueAtPercentile(99.9)),
        micros(nanos.getMaxValue()),
        nanos.getMean() / 1e3);
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }
}
