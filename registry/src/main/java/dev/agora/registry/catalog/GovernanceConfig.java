package dev.agora.registry.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * The registry's governance settings.
 *
 * @param deprecationNotice the shortest time between deprecating a version and its sunset
 */
public record GovernanceConfig(Duration deprecationNotice) {
  /** The default notice period: 30 days. */
  public static final Duration DEFAULT_DEPRECATION_NOTICE = Duration.ofDays(30);

  /** Validates every setting. */
  public GovernanceConfig {
    Objects.requireNonNull(deprecationNotice, "governance deprecationNotice");
    if (deprecationNotice.isNegative()) {
      throw new IllegalArgumentException(
          "governance deprecationNotice cannot be negative, got " + deprecationNotice);
    }
  }

  /** The defaults: a 30-day deprecation notice. */
  public static GovernanceConfig defaults() {
    return new GovernanceConfig(DEFAULT_DEPRECATION_NOTICE);
  }
}
