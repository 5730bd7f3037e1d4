package dev.agora.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The state of {@code agora serve} itself: whether it is ready, whether it is draining for a stop,
 * and how many HTTP requests are being answered (what a drain waits for).
 */
public final class ServerMetrics implements MultiCollector {
  private final BooleanSupplier ready;
  private final BooleanSupplier draining;
  private final IntSupplier httpInFlight;

  /**
   * @param ready whether the server accepts inference requests
   * @param draining whether a stop has begun
   * @param httpInFlight HTTP requests read and not yet answered
   */
  public ServerMetrics(BooleanSupplier ready, BooleanSupplier draining, IntSupplier httpInFlight) {
    this.ready = ready;
    this.draining = draining;
    this.httpInFlight = httpInFlight;
  }

  @Override
  public MetricSnapshots collect() {
    return MetricSnapshots.of(
        gauge(
            "agora_server_ready",
            "1 when the server accepts inference requests (what /v2/health/ready answers).",
            ready.getAsBoolean() ? 1 : 0),
        gauge(
            "agora_server_draining",
            "1 once a stop has begun: new calls are refused and in-flight ones finish.",
            draining.getAsBoolean() ? 1 : 0),
        gauge(
            "agora_http_requests_in_flight",
            "HTTP requests read and not yet answered.",
            httpInFlight.getAsInt()));
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return new GaugeSnapshot(
        new MetricMetadata(name, help),
        List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
  }
}
