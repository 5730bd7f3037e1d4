package dev.agora.registry.catalog;

/**
 * The registry's key space in the metadata store.
 *
 * <ul>
 *   <li>{@code /agora/v1/models/{model}}: a {@code Model}
 *   <li>{@code /agora/v1/models/{model}/versions/{version}}: a {@code ModelVersion}
 *   <li>{@code /agora/v1/artifacts/{sha256}/refs/{model}/{version}}: an empty marker saying that
 *       the version uses the artifact, written in the same transaction as the version
 * </ul>
 */
public final class CatalogKeys {
  /** The prefix of every model key (and of the version keys nested under them). */
  public static final String MODELS = "/agora/v1/models/";

  private static final String VERSIONS = "/versions/";
  private static final String ARTIFACTS = "/agora/v1/artifacts/";

  private CatalogKeys() {}

  /** The key of a model record. */
  public static String model(String model) {
    return MODELS + model;
  }

  /** The prefix of every version key of one model. */
  public static String versionsOf(String model) {
    return MODELS + model + VERSIONS;
  }

  /** The key of a version record. */
  public static String version(String model, String version) {
    return versionsOf(model) + version;
  }

  /** The prefix of every reference to one artifact. */
  public static String artifactReferences(String sha256) {
    return ARTIFACTS + sha256 + "/refs/";
  }

  /** The key that records that a version uses an artifact. */
  public static String artifactReference(String sha256, String model, String version) {
    return artifactReferences(sha256) + model + "/" + version;
  }

  /** Whether a key under {@link #MODELS} is a model record rather than a nested version. */
  public static boolean isModelKey(String key) {
    return key.startsWith(MODELS) && key.indexOf('/', MODELS.length()) < 0;
  }

  /** The model name in a model key. */
  public static String modelName(String modelKey) {
    return modelKey.substring(MODELS.length());
  }
}
