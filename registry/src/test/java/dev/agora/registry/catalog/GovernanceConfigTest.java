package dev.agora.registry.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The governance settings' defaults and validation. */
class GovernanceConfigTest {

  @Test
  void defaultsToThirtyDaysOfNoticeAndAMinuteBetweenSunsetChecks() {
    GovernanceConfig defaults = GovernanceConfig.defaults();
    assertThat(defaults.deprecationNotice()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.sunsetCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(new GovernanceConfig(Duration.ofDays(7)).sunsetCheckInterval())
        .isEqualTo(Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT1S", "PT30S", "PT1H"})
  void acceptsSunsetCheckIntervalsFromOneSecondToOneHour(String interval) {
    assertThat(
            GovernanceConfig.defaults()
                .withSunsetCheckInterval(Duration.parse(interval))
                .sunsetCheckInterval())
        .isEqualTo(Duration.parse(interval));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT0.999S", "-PT1M", "PT1H0.001S", "P1D"})
  void refusesOtherSunsetCheckIntervalsNamingTheSetting(String interval) {
    assertThatThrownBy(
            () -> GovernanceConfig.defaults().withSunsetCheckInterval(Duration.parse(interval)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sunsetCheckInterval")
        .hasMessageContaining(Duration.parse(interval).toString());
  }

  @Test
  void refusesANegativeNoticeAndMissingSettings() {
    assertThatThrownBy(() -> new GovernanceConfig(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deprecationNotice");
    assertThatThrownBy(() -> new GovernanceConfig(Duration.ofDays(1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("sunsetCheckInterval");
  }

  @Test
  void usageIsKeptAtLeastAWeekAndFourHundredDaysByDefault() {
    assertThat(GovernanceConfig.defaults().usageRetention()).isEqualTo(Duration.ofDays(400));
    assertThat(GovernanceConfig.defaults().withUsageRetention(Duration.ofDays(7)).usageRetention())
        .isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> GovernanceConfig.defaults().withUsageRetention(Duration.ofDays(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usageRetention must be at least PT168H");
  }
}
