package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestScheduleTest {
  @Test
  void requestsAreDueAtEvenIntervalsFromTheStart() {
    RequestSchedule schedule = new RequestSchedule(1_000, 4_000);

    assertThat(schedule.intendedStartNanos(0)).isEqualTo(1_000);
    assertThat(schedule.intendedStartNanos(1)).isEqualTo(1_000 + 250_000);
    assertThat(schedule.intendedStartNanos(4_000)).isEqualTo(1_000 + 1_000_000_000L);
  }

  @Test
  void fractionalPeriodsDoNotDrift() {
    RequestSchedule schedule = new RequestSchedule(0, 3);

    assertThat(schedule.intendedStartNanos(1)).isEqualTo(333_333_333L);
    assertThat(schedule.intendedStartNanos(3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void countsTheRequestsDueBeforeAnInstant() {
    RequestSchedule schedule = new RequestSchedule(1_000, 1_000);

    assertThat(schedule.requestsBefore(0)).isZero();
    assertThat(schedule.requestsBefore(1_000)).isZero();
    assertThat(schedule.requestsBefore(1_001)).isEqualTo(1);
    assertThat(schedule.requestsBefore(1_000 + 1_000_000)).isEqualTo(1);
    assertThat(schedule.requestsBefore(1_000 + 1_000_001)).isEqualTo(2);
    assertThat(schedule.requestsBefore(1_000 + 1_000_000_000L)).isEqualTo(1_000);
  }

  @Test
  void refusesRatesThatAreNotPositive() {
    assertThatThrownBy(() -> new RequestSchedule(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestSchedule(0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestSchedule(0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
