package dev.agora.ratelimit.identity;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A member's role in a team. */
public enum Role {
  /** Finds models and calls them. */
  CONSUMER,
  /** Registers the team's models and uploads, publishes, deprecates and retires their versions. */
  PUBLISHER,
  /** Reviews submissions against the governance gates. */
  REVIEWER,
  /** Manages the team's members and keys; holds every other role in the team. */
  ADMIN;

  /** Whether holding this role satisfies a requirement for {@code required}. */
  public boolean grants(Role required) {
    return switch (this) {
      case ADMIN -> true;
      case PUBLISHER, REVIEWER -> required == this || required == CONSUMER;
      case CONSUMER -> required == CONSUMER;
    };
  }

  /** The scopes a key of a member with this role may carry. */
  public Set<Scope> allowedScopes() {
    return switch (this) {
      case CONSUMER -> EnumSet.of(Scope.REGISTRY_READ, Scope.INFERENCE, Scope.KEYS_VERIFY);
      case PUBLISHER, REVIEWER ->
          EnumSet.of(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, Scope.INFERENCE, Scope.KEYS_VERIFY);
      case ADMIN -> EnumSet.allOf(Scope.class);
    };
  }

  /** The lower-case name used in messages and on the command line, e.g. {@code publisher}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this {@link #label()}, ignoring case. */
  public static Optional<Role> fromLabel(String label) {
    for (Role role : values()) {
      if (role.label().equalsIgnoreCase(label)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
