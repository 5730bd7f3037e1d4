package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputSweepTest {
  @Test
  void stopsAfterTwoLevelsWithoutAGainAndKeepsTheBest() {
    ThroughputSweep sweep = new ThroughputSweep(0.03, 2);

    assertThat(sweep.add(1_000)).isTrue();
    assertThat(sweep.add(4_000)).isTrue();
    assertThat(sweep.add(4_100)).isTrue(); // +2.5%: higher, but not a gain
    assertThat(sweep.add(3_900)).isFalse();
    assertThat(sweep.bestIndex()).isEqualTo(2);
  }

  @Test
  void aGainResetsThePatience() {
    ThroughputSweep sweep = new ThroughputSweep(0.03, 2);

    sweep.add(1_000);
    sweep.add(1_000);
    assertThat(sweep.add(2_000)).isTrue();
    assertThat(sweep.add(2_000)).isTrue();
    assertThat(sweep.add(2_000)).isFalse();
    assertThat(sweep.bestIndex()).isEqualTo(2);
  }
}
