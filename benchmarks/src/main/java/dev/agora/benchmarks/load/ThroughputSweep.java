package dev.agora.benchmarks.load;

/**
 * Decides when a sweep of rising concurrency has found the maximum throughput: it stops after
 * {@code patience} levels in a row that did not beat the best so far by {@code minGain}.
 */
final class ThroughputSweep {
  private final double minGain;
  private final int patience;
  private double best = -1;
  private int bestIndex = -1;
  private int index = -1;
  private int withoutGain;

  ThroughputSweep(double minGain, int patience) {
    if (minGain < 0 || patience < 1) {
      throw new IllegalArgumentException("minGain must be >= 0 and patience >= 1");
    }
    this.minGain = minGain;
    this.patience = patience;
  }

  /** Adds the next level's throughput; false when the sweep should stop. */
  boolean add(double throughput) {
    index++;
    if (bestIndex < 0 || throughput > best * (1 + minGain)) {
      withoutGain = 0;
    } else {
      withoutGain++;
    }
    if (throughput > best) {
      best = throughput;
      bestIndex = index;
    }
    return withoutGain < patience;
  }

  /** The index of the level with the highest throughput so far. */
  int bestIndex() {
    if (bestIndex < 0) {
      throw new IllegalStateException("no level measured");
    }
    return bestIndex;
  }
}
