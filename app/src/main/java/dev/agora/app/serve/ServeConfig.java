package dev.agora.app.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@code agora serve}, validated on construction.
 *
 * @param host the address both listeners bind to
 * @param grpcPort gRPC port; 0 picks a free one
 * @param httpPort HTTP port; 0 picks a free one
 * @param dataDir where the metadata store, blobs and the model cache live
 * @param maxInboundMessageBytes largest gRPC message accepted
 * @param shutdownGrace how long in-flight calls may run after a stop is requested
 */
public record ServeConfig(
    String host,
    int grpcPort,
    int httpPort,
    Path dataDir,
    int maxInboundMessageBytes,
    Duration shutdownGrace) {

  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  public ServeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    requirePort("grpcPort", grpcPort);
    requirePort("httpPort", httpPort);
    if (maxInboundMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "maxInboundMessageBytes must be at least 1024, got " + maxInboundMessageBytes);
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must not be negative");
    }
  }

  /** Loopback on Triton's ports (HTTP 8000, gRPC 8001) with data under {@code dataDir}. */
  public static ServeConfig defaults(Path dataDir) {
    return new ServeConfig(
        "127.0.0.1",
        8001,
        8000,
        dataDir,
        DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
        Duration.ofSeconds(10));
  }

  /** These settings with other ports; 0 picks a free one. */
  public ServeConfig withPorts(int grpc, int http) {
    return new ServeConfig(host, grpc, http, dataDir, maxInboundMessageBytes, shutdownGrace);
  }

  /** These settings with another grace period for in-flight calls at a stop. */
  public ServeConfig withShutdownGrace(Duration grace) {
    return new ServeConfig(host, grpcPort, httpPort, dataDir, maxInboundMessageBytes, grace);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, got " + port);
    }
  }
}
