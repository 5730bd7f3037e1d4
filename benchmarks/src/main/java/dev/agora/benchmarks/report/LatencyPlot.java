package dev.agora.benchmarks.report;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency-vs-throughput PNG: p50 and p99 against the achieved rate of the open-loop sweep, for
 * Agora and for the echo, over the runs that sustained their rate; the latency axis is logarithmic
 * when the values span decades.
 */
final class LatencyPlot {
  private LatencyPlot() {}

  /** Draws the curves of {@code agora} and {@code echo} (open-loop results) to {@code png}. */
  static void write(List<JsonObject> agora, List<JsonObject> echo, String title, Path png)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(960)
            .height(600)
            .title(title)
            .xAxisTitle("achieved rate (requests/s)")
            .build();
    // a logarithmic axis labels only powers of ten: use it when the latencies span decades
    boolean logarithmic = span(agora, echo) > 20;
    chart.setYAxisTitle(logarithmic ? "latency (µs, log scale)" : "latency (µs)");
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    addSeries(chart, "Agora ModelInfer p50", agora, "p50Micros");
    addSeries(chart, "Agora ModelInfer p99", agora, "p99Micros");
    addSeries(chart, "gRPC echo p50", echo, "p50Micros");
    addSeries(chart, "gRPC echo p99", echo, "p99Micros");
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /**
   * Whether an open-loop run carried its load: it completed at least {@link ServingGoals#SUSTAINED}
   * of its target rate, and its median latency stayed under {@link
   * ServingGoals#STANDING_QUEUE_MICROS} (a queue that formed during the warm-up and never drained
   * completes the rate while every call waits behind it), and no more than {@link
   * ServingGoals#REFUSED} of its calls failed (a server shedding load with {@code
   * RESOURCE_EXHAUSTED} completes the rate by refusing it). Past saturation latency grows by
   * seconds; such points are left off the curve (the table lists them).
   */
  static boolean sustained(JsonObject run) {
    double achieved = run.get("achievedRate").getAsDouble();
    return achieved >= ServingGoals.SUSTAINED * run.get("targetRate").getAsDouble()
        && run.getAsJsonObject("latency").get("p50Micros").getAsDouble()
            < ServingGoals.STANDING_QUEUE_MICROS
        && errors(run) <= ServingGoals.REFUSED * achieved * run.get("windowSeconds").getAsDouble();
  }

  private static double errors(JsonObject run) {
    return run.has("errors") ? run.get("errors").getAsDouble() : 0;
  }

  private static double span(List<JsonObject> agora, List<JsonObject> echo) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (List<JsonObject> runs : List.of(agora, echo)) {
      for (JsonObject run : runs) {
        JsonObject latency = run.getAsJsonObject("latency");
        if (latency.get("count").getAsLong() > 0) {
          min = Math.min(min, Math.max(latency.get("p50Micros").getAsDouble(), 1));
          max = Math.max(max, latency.get("p99Micros").getAsDouble());
        }
      }
    }
    return max > 0 ? max / min : 1;
  }

  private static void addSeries(XYChart chart, String name, List<JsonObject> runs, String field) {
    List<JsonObject> sorted =
        runs.stream()
            .filter(r -> r.getAsJsonObject("latency").get("count").getAsLong() > 0)
            .filter(LatencyPlot::sustained)
            .sorted(Comparator.comparingDouble(r -> r.get("achievedRate").getAsDouble()))
            .toList();
    if (sorted.isEmpty()) {
      return;
    }
    double[] x = sorted.stream().mapToDouble(r -> r.get("achievedRate").getAsDouble()).toArray();
    double[] y =
        sorted.stream()
            .mapToDouble(r -> r.getAsJsonObject("latency").get(field).getAsDouble())
            .toArray();
    chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
  }
}
