package dev.agora.ratelimit.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UsageMeterConfigTest {

  @Test
  void defaultsReportEveryTenSecondsInReportsTheRegistryAccepts() {
    UsageMeterConfig defaults = UsageMeterConfig.defaults();
    assertThat(defaults.flushInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.maxCountsPerReport()).isEqualTo(UsageMeterConfig.MAX_COUNTS_PER_REPORT);
    assertThat(defaults.withFlushInterval(Duration.ofMillis(250)).flushInterval())
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void outOfRangeSettingsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> UsageMeterConfig.defaults().withFlushInterval(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flush interval");
    assertThatThrownBy(() -> UsageMeterConfig.defaults().withFlushInterval(Duration.ofHours(2)))
        .hasMessageContaining("flush interval");
    assertThatThrownBy(() -> new UsageMeterConfig(Duration.ofSeconds(1), 0, 50))
        .hasMessageContaining("maxTrackedEntries");
    assertThatThrownBy(() -> new UsageMeterConfig(Duration.ofSeconds(1), 10, 51))
        .hasMessageContaining("maxCountsPerReport");
    assertThatThrownBy(() -> new UsageMeterConfig(Duration.ofSeconds(1), 10, 0))
        .hasMessageContaining("maxCountsPerReport");
  }
}
