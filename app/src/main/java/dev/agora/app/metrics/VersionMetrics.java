package dev.agora.app.metrics;

import dev.agora.inference.statistics.Histogram;
import dev.agora.inference.statistics.VersionStatistics;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The per-version metric families, named after Triton's {@code nv_inference_*} with the prefix
 * {@code agora_} and labelled {@code model} and {@code version}: request, inference and execution
 * counters, cumulative durations in microseconds, and histograms of request, queue and compute
 * durations and of batch sizes, all read from each version's {@link VersionStatistics}.
 */
final class VersionMetrics {
  private static final double NANOS_PER_MICRO = 1_000.0;

  private static final List<CounterFamily> COUNTERS =
      List.of(
          new CounterFamily(
              "agora_inference_request_success",
              "Inference requests that succeeded.",
              s -> s.success().count()),
          new CounterFamily(
              "agora_inference_request_failure",
              "Inference requests that failed after reaching a loaded version.",
              s -> s.fail().count()),
          new CounterFamily(
              "agora_inference_count",
              "Inferences performed: a request of N rows to a batching model counts N.",
              VersionStatistics.Snapshot::inferenceCount),
          new CounterFamily(
              "agora_inference_exec_count",
              "Model executions: a dynamic batch of several requests counts once.",
              VersionStatistics.Snapshot::executionCount),
          new CounterFamily(
              "agora_inference_request_duration_us",
              "Cumulative duration of inference requests, successful and failed, in microseconds.",
              s -> micros(s.success().nanos() + s.fail().nanos())),
          new CounterFamily(
              "agora_inference_queue_duration_us",
              "Cumulative time requests waited in the queue, in microseconds.",
              s -> micros(s.queue().nanos())),
          new CounterFamily(
              "agora_inference_compute_input_duration_us",
              "Cumulative time spent preparing inputs, in microseconds.",
              s -> micros(s.computeInput().nanos())),
          new CounterFamily(
              "agora_inference_compute_infer_duration_us",
              "Cumulative time spent running the model, in microseconds.",
              s -> micros(s.computeInfer().nanos())),
          new CounterFamily(
              "agora_inference_compute_output_duration_us",
              "Cumulative time spent extracting and encoding outputs, in microseconds.",
              s -> micros(s.computeOutput().nanos())));

  private static final List<HistogramFamily> HISTOGRAMS =
      List.of(
          new HistogramFamily(
              "agora_inference_request_histogram_us",
              "Duration of successful inference requests, arrival to answer, in microseconds.",
              VersionStatistics.Histograms::requestNanos,
              NANOS_PER_MICRO),
          new HistogramFamily(
              "agora_inference_queue_histogram_us",
              "Time each inference request waited in the queue, in microseconds.",
              VersionStatistics.Histograms::queueNanos,
              NANOS_PER_MICRO),
          new HistogramFamily(
              "agora_inference_compute_histogram_us",
              "Compute time (input, infer, output) of successful requests, in microseconds.",
              VersionStatistics.Histograms::computeNanos,
              NANOS_PER_MICRO),
          new HistogramFamily(
              "agora_inference_batch_size",
              "Rows per model execution.",
              VersionStatistics.Histograms::batchSize,
              1.0));

  private VersionMetrics() {}

  /** The counters and histograms of {@code versions}, one series per model and version. */
  static List<MetricSnapshot> snapshot(List<LabelledStatistics> versions) {
    List<VersionSample> samples = samples(versions);
    List<MetricSnapshot> families = new ArrayList<>();
    for (CounterFamily family : COUNTERS) {
      families.add(family.snapshot(samples));
    }
    for (HistogramFamily family : HISTOGRAMS) {
      families.add(family.snapshot(samples));
    }
    return families;
  }

  /** The statistics of one model version. */
  record LabelledStatistics(String model, String version, VersionStatistics statistics) {}

  /** One sample per model and version: a version being replaced may be listed twice. */
  private static List<VersionSample> samples(List<LabelledStatistics> versions) {
    Map<Labels, VersionSample> byLabels = new LinkedHashMap<>();
    for (LabelledStatistics version : versions) {
      Labels labels = Labels.of("model", version.model(), "version", version.version());
      byLabels.computeIfAbsent(
          labels,
          key ->
              new VersionSample(
                  key, version.statistics().snapshot(), version.statistics().histograms()));
    }
    return List.copyOf(byLabels.values());
  }

  private static double micros(long nanos) {
    return nanos / NANOS_PER_MICRO;
  }

  private record VersionSample(
      Labels labels,
      VersionStatistics.Snapshot counters,
      VersionStatistics.Histograms histograms) {}

  private record CounterFamily(
      String name, String help, ToDoubleFunction<VersionStatistics.Snapshot> value) {
    CounterSnapshot snapshot(List<VersionSample> samples) {
      List<CounterDataPointSnapshot> points = new ArrayList<>(samples.size());
      for (VersionSample sample : samples) {
        points.add(
            new CounterDataPointSnapshot(
                value.applyAsDouble(sample.counters()), sample.labels(), null, 0L));
      }
      return new CounterSnapshot(new MetricMetadata(name, help), points);
    }
  }

  private record HistogramFamily(
      String name,
      String help,
      Function<VersionStatistics.Histograms, Histogram.Snapshot> histogram,
      double divisor) {
    HistogramSnapshot snapshot(List<VersionSample> samples) {
      List<HistogramDataPointSnapshot> points = new ArrayList<>(samples.size());
      for (VersionSample sample : samples) {
        Histogram.Snapshot counts = histogram.apply(sample.histograms());
        points.add(
            new HistogramDataPointSnapshot(
                buckets(counts), counts.sum() / divisor, sample.labels(), Exemplars.EMPTY, 0L));
      }
      return new HistogramSnapshot(new MetricMetadata(name, help), points);
    }

    private ClassicHistogramBuckets buckets(Histogram.Snapshot counts) {
      long[] bounds = counts.upperBounds();
      double[] upperBounds = new double[bounds.length + 1];
      for (int i = 0; i < bounds.length; i++) {
        upperBounds[i] = bounds[i] / divisor;
      }
      upperBounds[bounds.length] = Double.POSITIVE_INFINITY;
      return ClassicHistogramBuckets.of(upperBounds, counts.counts());
    }
  }
}
