package dev.agora.benchmarks.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LateWakeUpsTest {
  @Test
  void countsEachWakeUpInEveryBandItPassesAndTheTimeLostPastAQuarterMillisecond() {
    LateWakeUps late = new LateWakeUps();
    late.record(-5_000); // early: on time
    late.record(60_000); // 0.06 ms: on time
    late.record(300_000); // 0.3 ms
    late.record(2_000_000); // 2 ms
    late.record(7_000_000); // 7 ms

    LateWakeUps.Summary summary = late.summary("1", 2);

    assertThat(summary.cores()).isEqualTo("1");
    assertThat(summary.wakeUps()).isEqualTo(5);
    assertThat(summary.lateOverQuarterMs()).isEqualTo(3);
    assertThat(summary.lateOverOneMs()).isEqualTo(2);
    assertThat(summary.lateOverFiveMs()).isEqualTo(1);
    assertThat(summary.lateOverOneMsPerSecond()).isEqualTo(1.0);
    assertThat(summary.worstLateMillis()).isEqualTo(7.0);
    // 9.3 ms lost in 2 s
    assertThat(summary.percentOfTimeLost()).isCloseTo(0.465, within(1e-9));
  }

  @Test
  void aShortRunWakesManyTimes() {
    LateWakeUps late = WakeUpLatency.sleepAndRecord(Duration.ofMillis(20));

    assertThat(late.summary("any", 0.02).wakeUps()).isPositive();
  }
}
