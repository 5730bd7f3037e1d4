package dev.agora.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Which open-loop runs carried their load, and so count for the curve and for G5. */
class LatencyPlotTest {

  @Test
  void aRunCarriedItsLoadOnlyAtItsRateAndWithoutAStandingQueue() {
    assertThat(LatencyPlot.sustained(run(8_000, 7_990, 2_700))).isTrue();
    assertThat(LatencyPlot.sustained(run(8_000, 7_000, 2_700))).as("fell behind").isFalse();
    assertThat(LatencyPlot.sustained(run(8_000, 8_500, 342_884)))
        .as("kept the rate, every call waiting behind a queue")
        .isFalse();
    assertThat(LatencyPlot.sustained(run(8_000, 8_000, 700, 100))).as("a few refusals").isTrue();
    assertThat(LatencyPlot.sustained(run(8_000, 8_000, 700, 1_134)))
        .as("kept the rate by refusing 1.4 % of it")
        .isFalse();
  }

  private static JsonObject run(double target, double achieved, double p50Micros) {
    return run(target, achieved, p50Micros, 0);
  }

  /** A 10-second run. */
  private static JsonObject run(double target, double achieved, double p50Micros, long errors) {
    JsonObject run = new JsonObject();
    run.addProperty("targetRate", target);
    run.addProperty("achievedRate", achieved);
    run.addProperty("windowSeconds", 10.0);
    run.addProperty("errors", errors);
    JsonObject latency = new JsonObject();
    latency.addProperty("p50Micros", p50Micros);
    run.add("latency", latency);
    return run;
  }
}
