package dev.agora.registry.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdConfigTest {
  @Test
  void theDefaultsUseNoEtcdAndEtcdsOwnLimits() {
    EtcdConfig defaults = EtcdConfig.defaults();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.maxRequestBytes()).isEqualTo(1_572_864);
    assertThat(defaults.maxTxnOps()).isEqualTo(128);
    assertThat(defaults.callTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.withEndpoints(List.of(URI.create("http://127.0.0.1:2379"))).enabled())
        .isTrue();
  }

  @Test
  void endpointListsParse() {
    assertThat(EtcdConfig.parseEndpoints("http://10.0.0.1:2379, http://etcd-2:2379"))
        .containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://etcd-2:2379"));
  }

  @Test
  void malformedEndpointsAreRefusedByName() {
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("http://a:2379,"))
        .hasMessageContaining("empty entry");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("https://a:2379"))
        .hasMessageContaining("https://a:2379")
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("http://a"))
        .hasMessageContaining("needs a host and a port");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("http://a:2379/v3"))
        .hasMessageContaining("must not have a path");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("http://a b:1"))
        .hasMessageContaining("not a URL");
    assertThat(EtcdConfig.parseEndpoints("http://a:2379/")).hasSize(1);
  }

  @Test
  void invalidSettingsAreRefusedByName() {
    EtcdConfig ok = EtcdConfig.defaults();
    assertThatThrownBy(() -> ok.withNamespace("prod")).hasMessageContaining("namespace");
    assertThatThrownBy(() -> ok.withCallTimeout(Duration.ZERO)).hasMessageContaining("callTimeout");
    assertThatThrownBy(() -> ok.withRetries(0, Duration.ofMillis(1), Duration.ofMillis(1)))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> ok.withRetries(3, Duration.ofMillis(10), Duration.ofMillis(1)))
        .hasMessageContaining("maxRetryBackoff");
    assertThatThrownBy(() -> ok.withRequestLimits(10, 128)).hasMessageContaining("maxRequestBytes");
    assertThatThrownBy(() -> ok.withRequestLimits(4096, 0)).hasMessageContaining("maxTxnOps");
    assertThat(ok.withNamespace("/prod/").namespace()).isEqualTo("/prod/");
  }
}
