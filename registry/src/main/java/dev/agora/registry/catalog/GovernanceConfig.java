package dev.agora.registry.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * The registry's governance settings.
 *
 * @param deprecationNotice the shortest time between deprecating a version and its sunset
 * @param sunsetCheckInterval how often {@link SunsetRetirements} looks for deprecated versions
 *     whose sunset has passed and retires them; between {@link #MIN_SUNSET_CHECK_INTERVAL} and
 *     {@link #MAX_SUNSET_CHECK_INTERVAL}
 * @param usageRetention how long usage records are kept: records of days older than this, and the
 *     records of reporters silent this long, are removed; at least {@link #MIN_USAGE_RETENTION}
 */
public record GovernanceConfig(
    Duration deprecationNotice, Duration sunsetCheckInterval, Duration usageRetention) {
  /** The default notice period: 30 days. */
  public static final Duration DEFAULT_DEPRECATION_NOTICE = Duration.ofDays(30);

  /** The default sunset check interval: 1 minute. */
  public static final Duration DEFAULT_SUNSET_CHECK_INTERVAL = Duration.ofMinutes(1);

  /** The shortest sunset check interval: 1 second. */
  public static final Duration MIN_SUNSET_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The longest sunset check interval: 1 hour, so a sunset is never honoured much later. */
  public static final Duration MAX_SUNSET_CHECK_INTERVAL = Duration.ofHours(1);

  /** The default usage retention: 400 days, so that a year's report can always be read. */
  public static final Duration DEFAULT_USAGE_RETENTION = Duration.ofDays(400);

  /** The shortest usage retention: 7 days, well beyond a usage meter's reporting delay. */
  public static final Duration MIN_USAGE_RETENTION = Duration.ofDays(7);

  /** Validates every setting. */
  public GovernanceConfig {
    Objects.requireNonNull(deprecationNotice, "governance deprecationNotice");
    Objects.requireNonNull(sunsetCheckInterval, "governance sunsetCheckInterval");
    Objects.requireNonNull(usageRetention, "governance usageRetention");
    if (usageRetention.compareTo(MIN_USAGE_RETENTION) < 0) {
      throw new IllegalArgumentException(
          "governance usageRetention must be at least "
              + MIN_USAGE_RETENTION
              + ", got "
              + usageRetention);
    }
    if (deprecationNotice.isNegative()) {
      throw new IllegalArgumentException(
          "governance deprecationNotice cannot be negative, got " + deprecationNotice);
    }
    if (sunsetCheckInterval.compareTo(MIN_SUNSET_CHECK_INTERVAL) < 0
        || sunsetCheckInterval.compareTo(MAX_SUNSET_CHECK_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "governance sunsetCheckInterval must be between "
              + MIN_SUNSET_CHECK_INTERVAL
              + " and "
              + MAX_SUNSET_CHECK_INTERVAL
              + ", got "
              + sunsetCheckInterval);
    }
  }

  /** Settings with the default usage retention. */
  public GovernanceConfig(Duration deprecationNotice, Duration sunsetCheckInterval) {
    this(deprecationNotice, sunsetCheckInterval, DEFAULT_USAGE_RETENTION);
  }

  /** Settings with {@code deprecationNotice} and the default sunset check interval. */
  public GovernanceConfig(Duration deprecationNotice) {
    this(deprecationNotice, DEFAULT_SUNSET_CHECK_INTERVAL);
  }

  /**
   * The defaults: a 30-day deprecation notice, sunsets checked every minute, usage kept 400 days.
   */
  public static GovernanceConfig defaults() {
    return new GovernanceConfig(DEFAULT_DEPRECATION_NOTICE, DEFAULT_SUNSET_CHECK_INTERVAL);
  }

  /** These settings with another deprecation notice period. */
  public GovernanceConfig withDeprecationNotice(Duration notice) {
    return new GovernanceConfig(notice, sunsetCheckInterval, usageRetention);
  }

  /** These settings with another sunset check interval. */
  public GovernanceConfig withSunsetCheckInterval(Duration interval) {
    return new GovernanceConfig(deprecationNotice, interval, usageRetention);
  }

  /** These settings with another usage retention. */
  public GovernanceConfig withUsageRetention(Duration retention) {
    return new GovernanceConfig(deprecationNotice, sunsetCheckInterval, retention);
  }
}
