package dev.agora.testing.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a member's {@code /health} endpoint whether it has a leader and serves reads. */
final class EtcdHealthProbe {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
  private final HttpRequest request;

  EtcdHealthProbe(URI clientEndpoint) {
    this.request =
        HttpRequest.newBuilder(clientEndpoint.resolve("/health")).timeout(REQUEST_TIMEOUT).build();
  }

  /** True when etcd answers {@code {"health":"true"}}; false while it is unreachable or unwell. */
  boolean healthy() {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing etcd", e);
    }
  }
}
