package dev.agora.registry.access;

import dev.agora.ratelimit.keys.ApiKeyToken;
import java.util.Objects;
import java.util.Optional;

/**
 * What the first-start bootstrap did.
 *
 * @param kind whether it created the administrators' team and key, and with which key
 * @param adminKey the administrator key it stored; empty when it did nothing
 */
public record BootstrapOutcome(Kind kind, Optional<ApiKeyToken> adminKey) {

  /** What happened. */
  public enum Kind {
    /** The administrators' team existed already: nothing was created. */
    ALREADY_BOOTSTRAPPED,
    /** A new key was generated: show it once, it is stored only as a hash. */
    GENERATED_KEY,
    /** The configured key ({@code AGORA_BOOTSTRAP_ADMIN_KEY}) was stored. */
    CONFIGURED_KEY
  }

  /** Checks the fields. */
  public BootstrapOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(adminKey, "adminKey");
    if ((kind == Kind.ALREADY_BOOTSTRAPPED) != adminKey.isEmpty()) {
      throw new IllegalArgumentException("a key comes with every bootstrap and only then");
    }
  }
}
