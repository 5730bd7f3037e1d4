package dev.agora.inference.catalog;

import java.util.Objects;

/**
 * A model the catalog lists.
 *
 * @param latestPublishedVersion the highest published version, empty when none is published
 */
public record CatalogModel(String name, String latestPublishedVersion) {

  /** Validates the fields. */
  public CatalogModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(latestPublishedVersion, "latestPublishedVersion");
  }
}
