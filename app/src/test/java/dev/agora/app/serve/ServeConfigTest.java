package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServeConfigTest {
  private static final Path DATA = Path.of("data");

  @Test
  void defaultsAreTritonsPortsOnLoopback() {
    ServeConfig config = ServeConfig.defaults(DATA);

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.grpcPort()).isEqualTo(8001);
    assertThat(config.httpPort()).isEqualTo(8000);
    assertThat(config.maxInboundMessageBytes()).isEqualTo(64 * 1024 * 1024);
  }

  @Test
  void refusesPortsOutOfRange() {
    assertThatThrownBy(() -> new ServeConfig("h", 70000, 0, DATA, 4096, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpcPort");
    assertThatThrownBy(() -> new ServeConfig("h", 0, -1, DATA, 4096, Duration.ZERO))
        .hasMessageContaining("httpPort");
  }

  @Test
  void refusesATinyMessageLimitAndNegativeGrace() {
    assertThatThrownBy(() -> new ServeConfig("h", 0, 0, DATA, 10, Duration.ZERO))
        .hasMessageContaining("maxInboundMessageBytes");
    assertThatThrownBy(() -> new ServeConfig("h", 0, 0, DATA, 4096, Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownGrace");
  }

  @Test
  void withMethodsChangeOneSettingAndValidateIt() {
    ServeConfig config =
        ServeConfig.defaults(DATA).withPorts(0, 0).withShutdownGrace(Duration.ofSeconds(5));

    assertThat(config.grpcPort()).isZero();
    assertThat(config.httpPort()).isZero();
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> config.withPorts(0, 65536)).hasMessageContaining("httpPort");
    assertThatThrownBy(() -> config.withShutdownGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownGrace");
  }
}
