package dev.agora.ratelimit.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What one count is about: the calls of one key of one consumer team to one model version on one
 * UTC day.
 *
 * @param epochDay the UTC day, as days since 1970-01-01
 * @param team the consumer team (the team of the calling key)
 * @param keyId the id of the calling key; empty for a caller without one
 * @param model the model name the caller asked for
 * @param version the version the caller asked for; empty when it let the server choose
 */
public record UsageKey(long epochDay, String team, String keyId, String model, String version) {
  /** Checks the fields. */
  public UsageKey {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
  }

  /** The UTC day. */
  public LocalDate day() {
    return LocalDate.ofEpochDay(epochDay);
  }
}
