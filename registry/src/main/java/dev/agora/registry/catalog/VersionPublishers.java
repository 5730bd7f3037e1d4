package dev.agora.registry.catalog;

import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import java.util.List;

/** Who published a version, and which versions stay servable. */
public final class VersionPublishers {

  private VersionPublishers() {}

  /** {@code version} with {@code principal} among its publishers (added once). */
  public static ModelVersion.Builder with(ModelVersion.Builder version, String principal) {
    if (!version.getPublishersList().contains(principal)) {
      version.addPublishers(principal);
    }
    return version;
  }

  /**
   * The highest PUBLISHED or DEPRECATED version among {@code all} other than {@code leaving}, empty
   * when there is none.
   */
  static String latestServable(List<ModelVersion> all, String leaving) {
    String latest = "";
    for (ModelVersion version : all) {
      boolean servable =
          version.getStage() == Stage.STAGE_PUBLISHED
              || version.getStage() == Stage.STAGE_DEPRECATED;
      if (servable && !version.getVersion().equals(leaving)) {
        latest = SemanticVersions.higher(latest, version.getVersion());
      }
    }
    return latest;
  }
}
