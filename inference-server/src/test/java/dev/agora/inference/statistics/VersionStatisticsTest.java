package dev.agora.inference.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionStatisticsTest {
  private static final long MS = 1_000_000L;

  @Test
  void aSuccessCountsItsRequestQueueAndComputeTimesInTheHistograms() {
    VersionStatistics statistics = new VersionStatistics();

    statistics.recordSuccess(4, 1_000, 2 * MS, MS, 3 * MS, MS, 8 * MS);

    VersionStatistics.Histograms histograms = statistics.histograms();
    assertThat(histograms.requestNanos().count()).isEqualTo(1);
    assertThat(histograms.requestNanos().sum()).isEqualTo(8 * MS);
    assertThat(histograms.queueNanos().sum()).isEqualTo(2 * MS);
    assertThat(histograms.computeNanos().sum()).isEqualTo(5 * MS);
    assertThat(firstFilledBound(histograms.requestNanos())).isEqualTo(10 * MS);
    assertThat(histograms.batchSize().count()).isZero();
    VersionStatistics.Snapshot snapshot = statistics.snapshot();
    assertThat(snapshot.success().count()).isEqualTo(1);
    assertThat(snapshot.inferenceCount()).isEqualTo(4);
  }

  @Test
  void aFailureCountsItsQueueTimeButNotARequestDuration() {
    VersionStatistics statistics = new VersionStatistics();

    statistics.recordFailure(3 * MS, 4 * MS);

    VersionStatistics.Histograms histograms = statistics.histograms();
    assertThat(histograms.queueNanos().count()).isEqualTo(1);
    assertThat(histograms.requestNanos().count()).isZero();
    assertThat(histograms.computeNanos().count()).isZero();
    assertThat(statistics.snapshot().fail()).isEqualTo(new VersionStatistics.Duration(1, 4 * MS));
  }

  @Test
  void executionsCountTheirRowsInTheBatchSizeHistogram() {
    VersionStatistics statistics = new VersionStatistics();

    statistics.recordExecution(1, 0, MS, 0);
    statistics.recordExecution(3, 0, MS, 0);
    statistics.recordExecution(4, 0, MS, 0);
    statistics.recordExecution(5000, 0, MS, 0);

    Histogram.Snapshot sizes = statistics.histograms().batchSize();
    assertThat(sizes.upperBounds()).startsWith(1, 2, 4, 8).endsWith(1024);
    assertThat(sizes.counts()[0]).isEqualTo(1);
    assertThat(sizes.counts()[2]).as("3 and 4 rows: the <= 4 bucket").isEqualTo(2);
    assertThat(sizes.counts()[sizes.counts().length - 1]).isEqualTo(1);
    assertThat(sizes.sum()).isEqualTo(1 + 3 + 4 + 5000);
    assertThat(statistics.snapshot().executionCount()).isEqualTo(4);
  }

  /** The upper bound of the first bucket with an observation. */
  private static long firstFilledBound(Histogram.Snapshot snapshot) {
    for (int i = 0; i < snapshot.upperBounds().length; i++) {
      if (snapshot.counts()[i] > 0) {
        return snapshot.upperBounds()[i];
      }
    }
    return Long.MAX_VALUE;
  }
}
