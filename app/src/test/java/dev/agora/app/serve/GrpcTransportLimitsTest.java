package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcTransportLimitsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    GrpcTransportLimits limits = GrpcTransportLimits.defaults();

    assertThat(limits.maxInboundMetadataBytes()).isEqualTo(8192);
    assertThat(limits.maxConcurrentCallsPerConnection()).isEqualTo(1024);
    assertThat(limits.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.permitKeepAliveWithoutCalls()).isTrue();
    assertThat(limits.keepAliveTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(limits.maxConnectionIdle()).isEqualTo(Duration.ofHours(1));
    assertThat(limits.maxConnectionAge()).isZero();
    assertThat(limits.maxRstFramesPerWindow()).isEqualTo(200);
    assertThat(limits.rstWindow()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesLimitsThatDisableProtection() {
    GrpcTransportLimits d = GrpcTransportLimits.defaults();
    assertThatThrownBy(() -> with(d, 0, d.maxConcurrentCallsPerConnection(), d.rstWindow()))
        .hasMessageContaining("maxInboundMetadataBytes");
    assertThatThrownBy(() -> with(d, 1024, 0, d.rstWindow()))
        .hasMessageContaining("maxConcurrentCallsPerConnection");
    assertThatThrownBy(() -> with(d, 1024, 1, Duration.ofMillis(500)))
        .hasMessageContaining("rstWindow");
  }

  private static GrpcTransportLimits with(
      GrpcTransportLimits d, int metadataBytes, int calls, Duration rstWindow) {
    return new GrpcTransportLimits(
        metadataBytes,
        calls,
        d.permitKeepAliveTime(),
        d.permitKeepAliveWithoutCalls(),
        d.keepAliveTime(),
        d.keepAliveTimeout(),
        d.maxConnectionIdle(),
        d.maxConnectionAge(),
        d.maxConnectionAgeGrace(),
        d.maxRstFramesPerWindow(),
        rstWindow);
  }
}
