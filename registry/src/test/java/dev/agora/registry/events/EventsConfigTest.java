package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventsConfigTest {

  @Test
  void defaultsAreValid() {
    EventsConfig config = EventsConfig.defaults();

    assertThat(config.retainedEvents()).isEqualTo(4096);
    assertThat(config.progressInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.deliveryThreads()).isEqualTo(2);
    assertThat(config.withProgressInterval(Duration.ZERO).progressInterval()).isZero();
  }

  @Test
  void eachSettingIsCheckedAndNamed() {
    EventsConfig config = EventsConfig.defaults();

    assertThatThrownBy(() -> config.withRetainedEvents(0)).hasMessageContaining("retainedEvents");
    assertThatThrownBy(() -> config.withRetainedEvents(1_000_001))
        .hasMessageContaining("retainedEvents");
    assertThatThrownBy(() -> config.withProgressInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("progressInterval");
    assertThatThrownBy(() -> config.withProgressInterval(null))
        .hasMessageContaining("progressInterval");
    assertThatThrownBy(() -> config.withDeliveryThreads(0)).hasMessageContaining("deliveryThreads");
    assertThatThrownBy(() -> config.withDeliveryThreads(65))
        .hasMessageContaining("deliveryThreads");
    assertThat(config.withRetainedEvents(1).withDeliveryThreads(64).retainedEvents()).isEqualTo(1);
  }
}
