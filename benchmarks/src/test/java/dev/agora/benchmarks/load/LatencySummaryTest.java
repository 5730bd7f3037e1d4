package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void summarisesNanosecondsAsMicrosecondPercentiles() {
    Histogram nanos = new Histogram(LatencyWindow.HIGHEST_TRACKABLE_NANOS, 3);
    for (int micros = 1; micros <= 1_000; micros++) {
      nanos.recordValue(micros * 1_000L);
    }

    LatencySummary summary = LatencySummary.of(nanos);

    assertThat(summary.count()).isEqualTo(1_000);
    assertThat(summary.p50Micros()).isCloseTo(500, within(1.0));
    assertThat(summary.p90Micros()).isCloseTo(900, within(1.0));
    assertThat(summary.p99Micros()).isCloseTo(990, within(1.0));
    assertThat(summary.p999Micros()).isCloseTo(999, within(1.0));
    assertThat(summary.maxMicros()).isCloseTo(1_000, within(1.0));
    assertThat(summary.meanMicros()).isCloseTo(500.5, within(1.0));
  }

  @Test
  void anEmptyHistogramSummarisesToZeros() {
    LatencySummary summary = LatencySummary.of(new Histogram(3));

    assertThat(summary).isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0, 0));
  }
}
