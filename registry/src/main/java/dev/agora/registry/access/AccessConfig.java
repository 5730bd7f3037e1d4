package dev.agora.registry.access;

import dev.agora.ratelimit.keys.ApiKeyFormat;
import dev.agora.ratelimit.keys.ApiKeyToken;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the registry's access control.
 *
 * @param bootstrapAdminKey the key the first start gives the administrator instead of a generated
 *     one (from {@code AGORA_BOOTSTRAP_ADMIN_KEY}); ignored once the administrators' team exists
 * @param lastUsedFlushInterval how often the last-used times of keys are written to the store;
 *     between one second and one hour
 */
public record AccessConfig(
    Optional<ApiKeyToken> bootstrapAdminKey, Duration lastUsedFlushInterval) {
  /** The environment variable the launcher reads {@link #bootstrapAdminKey()} from. */
  public static final String BOOTSTRAP_ADMIN_KEY_VARIABLE = "AGORA_BOOTSTRAP_ADMIN_KEY";

  /** Validates every setting. */
  public AccessConfig {
    Objects.requireNonNull(bootstrapAdminKey, "bootstrapAdminKey");
    Objects.requireNonNull(lastUsedFlushInterval, "lastUsedFlushInterval");
    if (lastUsedFlushInterval.compareTo(Duration.ofSeconds(1)) < 0
        || lastUsedFlushInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "lastUsedFlushInterval must be between PT1S and PT1H, got " + lastUsedFlushInterval);
    }
  }

  /** A generated bootstrap key; last-used times flushed every 30 seconds. */
  public static AccessConfig defaults() {
    return new AccessConfig(Optional.empty(), Duration.ofSeconds(30));
  }

  /**
   * This configuration with {@code key} as the bootstrap administrator key.
   *
   * @throws IllegalArgumentException when {@code key} is not a well-formed Agora API key (the
   *     message never repeats the key)
   */
  public AccessConfig withBootstrapAdminKey(String key) {
    ApiKeyToken token =
        ApiKeyFormat.parse(key == null ? null : key.strip())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        BOOTSTRAP_ADMIN_KEY_VARIABLE
                            + " is not an Agora API key: expected agora_<id>_<secret> with "
                            + ApiKeyFormat.LENGTH
                            + " characters and a valid checksum"));
    return new AccessConfig(Optional.of(token), lastUsedFlushInterval);
  }

  /** This configuration with another flush interval. */
  public AccessConfig withLastUsedFlushInterval(Duration interval) {
    return new AccessConfig(bootstrapAdminKey, interval);
  }
}
