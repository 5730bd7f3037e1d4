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
  }

  private static JsonObject run(double target, double achieved, double p50Micros) {
    JsonObject run = new JsonObject();
    run.addProperty("targetRate", target);
    run.addProperty("achievedRate", achieved);
    JsonObject latency = new JsonObject();
    latency.addProperty("p50Micros", p50Micros);
    run.add("latency", latency);
    return run;
  }
}
