package dev.agora.app.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What {@code GET /metrics} answers: a scrape of one registry in Prometheus' text format (version
 * 0.0.4), which Prometheus, perf_analyzer's {@code --collect-metrics} and most agents read.
 */
public final class MetricsExposition {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsExposition(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** The value of the {@code Content-Type} header of a scrape. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Collects every registered metric now and writes them in the text format. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
