package dev.agora.app.serve;

import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 and connection limits of the public gRPC port, validated on construction and applied
 * to a {@link NettyServerBuilder} by {@link #applyTo}. The inbound message limit is {@link
 * ServeConfig#maxInboundMessageBytes()}; grpc-java enforces it on the decompressed size too, so a
 * compressed message cannot expand past it.
 *
 * @param maxInboundMetadataBytes largest header (and trailer) block a client may send
 * @param maxConcurrentCallsPerConnection HTTP/2 {@code MAX_CONCURRENT_STREAMS}: calls one
 *     connection may have open; clients queue the rest
 * @param permitKeepAliveTime the most frequent client keepalive pings tolerated; faster pingers get
 *     a GOAWAY ({@code too_many_pings})
 * @param permitKeepAliveWithoutCalls whether clients may ping while they have no call open
 * @param keepAliveTime how long a connection may be silent before the server pings the client
 * @param keepAliveTimeout how long the server waits for the ping's answer before closing
 * @param maxConnectionIdle how long a connection without calls is kept; zero keeps it forever
 * @param maxConnectionAge how long any connection lives before a graceful GOAWAY (spreads clients
 *     over replicas behind a load balancer); zero never
 * @param maxConnectionAgeGrace how long calls may finish after that GOAWAY
 * @param maxRstFramesPerWindow RST_STREAM frames (received or caused) per window before the
 *     connection is closed with ENHANCE_YOUR_CALM, against HTTP/2 rapid-reset floods; grpc-java
 *     leaves this off unless set
 * @param rstWindow the window of {@code maxRstFramesPerWindow}, whole seconds
 */
public record GrpcTransportLimits(
    int maxInboundMetadataBytes,
    int maxConcurrentCallsPerConnection,
    Duration permitKeepAliveTime,
    boolean permitKeepAliveWithoutCalls,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration maxConnectionIdle,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    int maxRstFramesPerWindow,
    Duration rstWindow) {

  /** Validates every setting. */
  public GrpcTransportLimits {
    requirePositive("maxInboundMetadataBytes", maxInboundMetadataBytes);
    requirePositive("maxConcurrentCallsPerConnection", maxConcurrentCallsPerConnection);
    requirePositive("maxRstFramesPerWindow", maxRstFramesPerWindow);
    requirePositive("permitKeepAliveTime", permitKeepAliveTime);
    requirePositive("keepAliveTime", keepAliveTime);
    requirePositive("keepAliveTimeout", keepAliveTimeout);
    requireNotNegative("maxConnectionIdle", maxConnectionIdle);
    requireNotNegative("maxConnectionAge", maxConnectionAge);
    requireNotNegative("maxConnectionAgeGrace", maxConnectionAgeGrace);
    if (rstWindow == null || rstWindow.toSeconds() < 1) {
      throw new IllegalArgumentException("rstWindow must be at least one second");
    }
  }

  /**
   * 8 KiB of metadata (grpc-java's default, made explicit), 1024 calls per connection, client pings
   * at most every 10 s (grpc-java clients cannot ping faster) also without calls, server pings
   * after 60 s of silence with a 20 s timeout, idle connections closed after 1 h, no age limit, and
   * at most 200 RST_STREAM frames per 30 s (Netty's own default for its HTTP/2 codec).
   */
  public static GrpcTransportLimits defaults() {
    return new GrpcTransportLimits(
        8 * 1024,
        1024,
        Duration.ofSeconds(10),
        true,
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        Duration.ofHours(1),
        Duration.ZERO,
        Duration.ofSeconds(30),
        200,
        Duration.ofSeconds(30));
  }

  /** Sets every limit on {@code builder}. */
  public NettyServerBuilder applyTo(NettyServerBuilder builder) {
    builder
        .maxInboundMetadataSize(maxInboundMetadataBytes)
        .maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
        .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(permitKeepAliveWithoutCalls)
        .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .maxRstFramesPerWindow(maxRstFramesPerWindow, Math.toIntExact(rstWindow.toSeconds()));
    if (!maxConnectionIdle.isZero()) {
      builder.maxConnectionIdle(maxConnectionIdle.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (!maxConnectionAge.isZero()) {
      builder
          .maxConnectionAge(maxConnectionAge.toNanos(), TimeUnit.NANOSECONDS)
          .maxConnectionAgeGrace(maxConnectionAgeGrace.toNanos(), TimeUnit.NANOSECONDS);
    }
    return builder;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void requireNotNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }
}
