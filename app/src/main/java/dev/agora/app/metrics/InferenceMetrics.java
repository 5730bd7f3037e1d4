package dev.agora.app.metrics;

import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.repository.VersionState;
import dev.agora.inference.repository.VersionStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The inference server's metrics, named after Triton's {@code nv_inference_*} with the prefix
 * {@code agora_}: per loaded version (labels {@code model}, {@code version}) the request, inference
 * and execution counters and cumulative durations in microseconds, histograms of request, queue and
 * compute durations and of batch sizes; per repository the versions by state and the model cache's
 * bytes and budget.
 *
 * <p>Everything is read from the repository when scraped, so a version's series start when it is
 * loaded and end when it is unloaded or evicted (its counters restart if it is loaded again, which
 * Prometheus' {@code rate()} treats as a counter reset), as in Triton.
 */
public final class InferenceMetrics implements MultiCollector {
  private final ModelRepository repository;

  /** Metrics of the versions {@code repository} serves. */
  public InferenceMetrics(ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public MetricSnapshots collect() {
    List<VersionMetrics.LabelledStatistics> versions = new ArrayList<>();
    for (ServableVersion version : repository.ready()) {
      versions.add(
          new VersionMetrics.LabelledStatistics(
              version.published().model(), version.published().version(), version.statistics()));
    }
    List<MetricSnapshot> families = new ArrayList<>(VersionMetrics.snapshot(versions));
    families.add(versionsByState(repository.statuses()));
    families.add(
        gauge(
            "agora_inference_model_cache_bytes",
            "Estimated memory of the loaded versions, as the model cache weighs them.",
            repository.footprintBytes()));
    families.add(
        gauge(
            "agora_inference_model_cache_budget_bytes",
            "The memory budget the model cache keeps its versions within.",
            repository.budgetBytes()));
    return new MetricSnapshots(families);
  }

  private static GaugeSnapshot versionsByState(List<VersionStatus> statuses) {
    Map<VersionState, Integer> counts = new EnumMap<>(VersionState.class);
    for (VersionState state : VersionState.values()) {
      counts.put(state, 0);
    }
    statuses.forEach(status -> counts.merge(status.state(), 1, Integer::sum));
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    counts.forEach(
        (state, count) ->
            points.add(new GaugeDataPointSnapshot(count, Labels.of("state", state.name()), null)));
    return new GaugeSnapshot(
        new MetricMetadata(
            "agora_inference_model_versions",
            "Model versions the repository knows, by state (LOADING, READY, UNAVAILABLE)."),
        points);
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return new GaugeSnapshot(
        new MetricMetadata(name, help),
        List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
  }
}
