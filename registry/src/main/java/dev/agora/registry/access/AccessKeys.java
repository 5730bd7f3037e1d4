package dev.agora.registry.access;

/**
 * Where access records live in the metadata store.
 *
 * <ul>
 *   <li>{@code /agora/v1/teams/{team}}: a {@code Team} with its members
 *   <li>{@code /agora/v1/keys/{id}}: a {@code StoredApiKey}: the key's record and the SHA-256 of
 *       the key
 * </ul>
 */
public final class AccessKeys {
  /** The prefix of every team record. */
  public static final String TEAMS = "/agora/v1/teams/";

  /** The prefix of every API key record. */
  public static final String KEYS = "/agora/v1/keys/";

  private AccessKeys() {}

  /** The key of a team record. */
  public static String team(String name) {
    return TEAMS + name;
  }

  /** The key of an API key record. */
  public static String apiKey(String id) {
    return KEYS + id;
  }
}
