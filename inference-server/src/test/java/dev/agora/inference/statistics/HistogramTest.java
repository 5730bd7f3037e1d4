package dev.agora.inference.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void countsEachObservationInTheFirstBucketWhoseBoundHoldsIt() {
    Histogram histogram = new Histogram(10, 100, 1000);

    histogram.observe(0);
    histogram.observe(10);
    histogram.observe(11);
    histogram.observe(1000);
    histogram.observe(1001);
    histogram.observe(5_000_000);

    Histogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.upperBounds()).containsExactly(10, 100, 1000);
    assertThat(snapshot.counts()).containsExactly(2, 1, 1, 2);
    assertThat(snapshot.count()).isEqualTo(6);
    assertThat(snapshot.sum()).isEqualTo(0 + 10 + 11 + 1000 + 1001 + 5_000_000);
  }

  @Test
  void negativeObservationsCountAsZero() {
    Histogram histogram = new Histogram(1, 2);

    histogram.observe(-5);

    assertThat(histogram.snapshot().counts()).containsExactly(1, 0, 0);
    assertThat(histogram.snapshot().sum()).isZero();
  }

  @Test
  void snapshotsAreCopies() {
    Histogram histogram = new Histogram(1);
    Histogram.Snapshot before = histogram.snapshot();

    histogram.observe(1);

    assertThat(before.counts()).containsExactly(0, 0);
    assertThat(histogram.snapshot().counts()).containsExactly(1, 0);
  }

  @Test
  void boundsMustBeGivenAndAscending() {
    assertThatThrownBy(Histogram::new).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Histogram(5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ascending");
    assertThatThrownBy(() -> new Histogram(5, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
