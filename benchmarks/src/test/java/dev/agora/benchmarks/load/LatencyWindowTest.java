package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {
  private static final long MS = 1_000_000;

  @Test
  void latencyRunsFromTheIntendedStartSoAStallChargesEveryDelayedCall() {
    // open loop at 1000/s: a 100 ms stall delays the answers of 100 calls that were due during it
    RequestSchedule schedule = new RequestSchedule(0, 1_000);
    LatencyWindow window = new LatencyWindow(0, 1_000 * MS);
    long stallEnd = 100 * MS;
    for (long i = 0; i < 1_000; i++) {
      long due = schedule.intendedStartNanos(i);
      long answered = due < stallEnd ? stallEnd + MS : due + MS;
      window.record(due, answered, Status.OK);
    }

    Histogram latencies = window.histogram();
    assertThat(latencies.getTotalCount()).isEqualTo(1_000);
    // a tool that timed from the (late) send would report 1 ms for all of them
    assertThat(latencies.getValueAtPercentile(99) / (double) MS).isBetween(90.0, 101.0);
    assertThat(latencies.getValueAtPercentile(90) / (double) MS).isBetween(1.0, 1.01);
    assertThat(latencies.getValueAtPercentile(95) / (double) MS).isBetween(50.0, 51.1);
  }

  @Test
  void onlyCallsStartedInsideTheWindowAreMeasured() {
    LatencyWindow window = new LatencyWindow(10 * MS, 20 * MS);

    window.record(9 * MS, 11 * MS, Status.OK); // warm-up
    window.record(10 * MS, 12 * MS, Status.OK);
    window.record(19 * MS, 25 * MS, Status.OK); // started inside, completed after
    window.record(20 * MS, 21 * MS, Status.OK); // after the window

    Histogram latencies = window.histogram();
    assertThat(latencies.getTotalCount()).isEqualTo(2);
    assertThat(latencies.getMaxValue() / (double) MS).isBetween(5.99, 6.01);
  }

  @Test
  void throughputCountsSuccessesCompletedInsideTheWindow() {
    LatencyWindow window = new LatencyWindow(0, 2_000 * MS);
    window.record(0, 5 * MS, Status.OK);
    window.record(1 * MS, 6 * MS, Status.OK);
    window.record(1_999 * MS, 2_001 * MS, Status.OK); // completes after the window
    window.record(2 * MS, 7 * MS, Status.UNAVAILABLE);

    assertThat(window.achievedRate()).isEqualTo(1.0);
  }

  @Test
  void errorsAreCountedByCodeAndHaveNoLatency() {
    LatencyWindow window = new LatencyWindow(0, 10 * MS);
    window.record(1 * MS, 2 * MS, Status.UNAVAILABLE);
    window.record(1 * MS, 2 * MS, Status.RESOURCE_EXHAUSTED);
    window.record(1 * MS, 2 * MS, Status.RESOURCE_EXHAUSTED);
    window.record(1 * MS, 2 * MS, Status.OK);

    assertThat(window.errors()).isEqualTo(3);
    assertThat(window.errorsByCode())
        .isEqualTo(Map.of("UNAVAILABLE", 1L, "RESOURCE_EXHAUSTED", 2L));
    assertThat(window.histogram().getTotalCount()).isEqualTo(1);
  }
}
