package dev.agora.inference.catalog;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the inference server learns which model versions exist and fetches their artifacts. Only
 * published versions are visible through it. Implementations throw {@link
 * dev.agora.common.error.AgoraException}: {@code MODEL_NOT_FOUND} and {@code VERSION_NOT_FOUND} for
 * what is not there (or not published), {@code STORE_UNAVAILABLE} when the source cannot be
 * reached. All methods block and may be called from many threads.
 */
public interface ModelCatalog {

  /**
   * The published version {@code version} of {@code model}; when {@code version} is empty, the
   * model's latest published version.
   */
  PublishedVersion resolve(String model, String version);

  /**
   * The version {@code alias} of {@code model} points to now ({@code ALIAS_NOT_FOUND} when the
   * model has no such alias). The caller resolves that version with {@link #resolve}.
   */
  String resolveAlias(String model, String alias);

  /** Every model, in name order, with its latest published version (empty when none). */
  List<CatalogModel> listModels();

  /** The published versions of {@code model}, newest first. */
  List<String> listPublishedVersions(String model);

  /**
   * Writes the artifact of a published version to {@code target}, replacing its content. The caller
   * verifies the bytes against {@link PublishedVersion#sha256()}.
   */
  void fetchArtifact(String model, String version, Path target);
}
