package dev.agora.ratelimit.identity;

import java.util.Optional;

/** What one key may do, whatever its principal's roles allow. */
public enum Scope {
  /** Read the catalog: models, versions, artifacts, teams. */
  REGISTRY_READ("registry:read"),
  /** Change the catalog, within the roles of the key's principal. */
  REGISTRY_WRITE("registry:write"),
  /** Call models on inference servers. */
  INFERENCE("inference"),
  /** Ask the registry who holds a key this server was handed. */
  KEYS_VERIFY("keys:verify"),
  /** Manage teams, members and keys, within the roles of the key's principal. */
  ADMIN("admin"),
  /**
   * Report inference usage to the registry: inference servers only (the in-process one holds it; a
   * remote one uses a global administrator's service account key narrowed to this scope).
   */
  USAGE_REPORT("usage:report");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire and in messages, e.g. {@code registry:read}. */
  public String wireName() {
    return wireName;
  }

  /** The scope with this wire name. */
  public static Optional<Scope> fromWireName(String name) {
    for (Scope scope : values()) {
      if (scope.wireName.equals(name)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
