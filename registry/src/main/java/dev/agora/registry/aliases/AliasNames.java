package dev.agora.registry.aliases;

import dev.agora.common.error.AgoraException;
import java.util.regex.Pattern;

/** The rule for alias names: DNS labels, with {@code latest} reserved for the computed alias. */
final class AliasNames {
  /** The computed alias: always the highest published version. */
  static final String LATEST = "latest";

  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private AliasNames() {}

  /**
   * Returns {@code alias} when it is a DNS label.
   *
   * @throws AgoraException {@code INVALID_FIELD} naming {@code field} otherwise
   */
  static String require(String field, String alias) {
    if (alias == null || alias.isEmpty()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (!LABEL.matcher(alias).matches()) {
      throw AgoraException.invalidField(
          field,
          "must be 1 to 63 lower-case letters, digits or '-', starting with a letter; got '"
              + alias
              + "'");
    }
    return alias;
  }

  /** Like {@link #require}, and refusing {@code latest}, which no one can move. */
  static String requireStored(String field, String alias) {
    require(field, alias);
    if (alias.equals(LATEST)) {
      throw AgoraException.invalidField(
          field, "'latest' is reserved: it always means the highest published version");
    }
    return alias;
  }
}
