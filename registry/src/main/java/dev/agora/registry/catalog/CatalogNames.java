package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import java.util.regex.Pattern;

/** The rules for model names and version strings, checked wherever a request names either. */
public final class CatalogNames {
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private CatalogNames() {}

  /** Whether {@code name} is 1-63 lower-case letters, digits or '-', starting with a letter. */
  public static boolean isModelName(String name) {
    return name != null && MODEL_NAME.matcher(name).matches();
  }

  /**
   * Returns {@code name} when it is a valid model name.
   *
   * @param field the request field, named in the error
   * @throws AgoraException {@code INVALID_FIELD} otherwise
   */
  public static String requireModelName(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (!isModelName(name)) {
      throw AgoraException.invalidField(
          field,
          "must be 1 to 63 lower-case letters, digits or '-', starting with a letter; got '"
              + name
              + "'");
    }
    return name;
  }

  /**
   * Returns {@code version} when it is a strict semantic version without build metadata.
   *
   * @param field the request field, named in the error
   * @throws AgoraException {@code INVALID_FIELD} otherwise
   */
  public static String requireVersion(String field, String version) {
    if (version == null || version.isEmpty()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (SemanticVersions.parse(version) == null) {
      throw AgoraException.invalidField(
          field,
          "must be a semantic version such as 1.2.0 or 2.0.0-rc.1, without build metadata; got '"
              + version
              + "'");
    }
    return version;
  }
}
