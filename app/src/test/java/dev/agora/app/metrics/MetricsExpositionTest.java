package dev.agora.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.inference.statistics.VersionStatistics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The metric families as Prometheus reads them, from statistics recorded the way serving does. */
class MetricsExpositionTest {
  private static final long MS = 1_000_000L;
  private static final String MLP = "{model=\"mlp\",version=\"1.0.0\"}";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final MetricsExposition exposition = new MetricsExposition(registry);

  @Test
  void versionCountersCarryTritonNamesModelAndVersionLabelsAndMicroseconds() {
    VersionStatistics mlp = new VersionStatistics();
    mlp.recordSuccess(2, 1_000, 3 * MS, MS, 2 * MS, MS, 7 * MS);
    mlp.recordFailure(MS, 2 * MS);
    mlp.recordExecution(2, MS, 2 * MS, MS);
    register(new VersionMetrics.LabelledStatistics("mlp", "1.0.0", mlp));

    String text = scrape();

    assertThat(text)
        .contains("# TYPE agora_inference_request_success_total counter")
        .contains("agora_inference_request_success_total" + MLP + " 1.0")
        .contains("agora_inference_request_failure_total" + MLP + " 1.0")
        .contains("agora_inference_count_total" + MLP + " 2.0")
        .contains("agora_inference_exec_count_total" + MLP + " 1.0")
        .contains("agora_inference_request_duration_us_total" + MLP + " 9000.0")
        .contains("agora_inference_queue_duration_us_total" + MLP + " 4000.0")
        .contains("agora_inference_compute_input_duration_us_total" + MLP + " 1000.0")
        .contains("agora_inference_compute_infer_duration_us_total" + MLP + " 2000.0")
        .contains("agora_inference_compute_output_duration_us_total" + MLP + " 1000.0");
  }

  @Test
  void histogramsHaveCumulativeBucketsInMicrosecondsAndRows() {
    VersionStatistics mlp = new VersionStatistics();
    mlp.recordSuccess(1, 1_000, 30_000, 0, 2 * MS, 0, 7 * MS);
    mlp.recordExecution(3, 0, 2 * MS, 0);
    register(new VersionMetrics.LabelledStatistics("mlp", "1.0.0", mlp));

    String text = scrape();

    assertThat(text)
        .contains("# TYPE agora_inference_request_histogram_us histogram")
        .contains(
            "agora_inference_request_histogram_us_bucket{model=\"mlp\",version=\"1.0.0\",le=\"5000.0\"} 0")
        .contains(
            "agora_inference_request_histogram_us_bucket{model=\"mlp\",version=\"1.0.0\",le=\"10000.0\"} 1")
        .contains(
            "agora_inference_request_histogram_us_bucket{model=\"mlp\",version=\"1.0.0\",le=\"+Inf\"} 1")
        .contains("agora_inference_request_histogram_us_count" + MLP + " 1")
        .contains("agora_inference_request_histogram_us_sum" + MLP + " 7000.0")
        .contains(
            "agora_inference_queue_histogram_us_bucket{model=\"mlp\",version=\"1.0.0\",le=\"50.0\"} 1")
        .contains(
            "agora_inference_compute_histogram_us_bucket{model=\"mlp\",version=\"1.0.0\",le=\"2500.0\"} 1")
        .contains("agora_inference_batch_size_bucket{model=\"mlp\",version=\"1.0.0\",le=\"2.0\"} 0")
        .contains(
            "agora_inference_batch_size_bucket{model=\"mlp\",version=\"1.0.0\",le=\"4.0\"} 1");
  }

  @Test
  void aVersionListedTwiceIsExposedOnce() {
    VersionStatistics current = new VersionStatistics();
    current.recordSuccess(1, 1_000, 0, 0, MS, 0, MS);
    register(
        new VersionMetrics.LabelledStatistics("mlp", "1.0.0", current),
        new VersionMetrics.LabelledStatistics("mlp", "1.0.0", new VersionStatistics()),
        new VersionMetrics.LabelledStatistics("mlp", "2.0.0", new VersionStatistics()));

    String text = scrape();

    assertThat(text).containsOnlyOnce("agora_inference_request_success_total" + MLP + " 1.0");
    assertThat(text)
        .contains("agora_inference_request_success_total{model=\"mlp\",version=\"2.0.0\"} 0.0");
  }

  @Test
  void serverGaugesFollowTheirSources() {
    AtomicBoolean draining = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger(3);
    registry.register(new ServerMetrics(() -> !draining.get(), draining::get, inFlight::get));

    assertThat(scrape())
        .contains("agora_server_ready 1.0")
        .contains("agora_server_draining 0.0")
        .contains("agora_http_requests_in_flight 3.0");

    draining.set(true);
    inFlight.set(0);

    assertThat(scrape())
        .contains("agora_server_ready 0.0")
        .contains("agora_server_draining 1.0")
        .contains("agora_http_requests_in_flight 0.0");
    assertThat(exposition.contentType()).startsWith("text/plain; version=0.0.4");
  }

  private void register(VersionMetrics.LabelledStatistics... versions) {
    registry.register(() -> new MetricSnapshots(VersionMetrics.snapshot(List.of(versions))));
  }

  private String scrape() {
    return new String(exposition.scrape(), StandardCharsets.UTF_8);
  }
}
