package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds models a curator may want to look at.
 *
 * <ul>
 *   <li>{@code NOT_UPDATED_SINCE}: models whose update time (or create time) is more than {@code
 *       days} days ago.
 *   <li>{@code NO_CONSUMERS_SINCE}: models that can be consumed (their latest published version is
 *       set, i.e. one version is PUBLISHED or DEPRECATED) and that nobody called in the last {@code
 *       days} days, by the usage inference servers report ({@link ModelLastCalls}, any version, any
 *       outcome). A model never called is listed once its first version was published at least
 *       {@code days} days ago: it has been on offer that long without a consumer. A model with
 *       nothing servable is never listed here (nobody could call it; {@code NOT_UPDATED_SINCE}
 *       finds stale drafts). Usage is reported every few seconds, so a call made just before the
 *       query may not count yet.
 * </ul>
 */
public final class CurationQueries {
  /** The largest {@code days}: about a century. */
  static final int MAX_DAYS = 36_500;

  private final ModelCatalog models;
  private final VersionRepository versions;
  private final ModelLastCalls lastCalls;
  private final InstantSource clock;

  /**
   * Queries over {@code models} and their {@code versions}, with usage from {@code lastCalls},
   * measuring ages with {@code clock}.
   */
  public CurationQueries(
      ModelCatalog models,
      VersionRepository versions,
      ModelLastCalls lastCalls,
      InstantSource clock) {
    this.models = models;
    this.versions = versions;
    this.lastCalls = lastCalls;
    this.clock = clock;
  }

  /**
   * The models of the given kind, in name order.
   *
   * @throws AgoraException {@code INVALID_FIELD} for an unspecified kind or days out of range
   */
  public List<Model> candidates(CurationKind kind, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw AgoraException.invalidField("days", "must be between 1 and " + MAX_DAYS);
    }
    Instant cutoff = clock.instant().minus(Duration.ofDays(days));
    switch (kind) {
      case CURATION_KIND_NOT_UPDATED_SINCE:
        return matching(model -> updateTime(model).isBefore(cutoff));
      case CURATION_KIND_NO_CONSUMERS_SINCE:
        return matching(model -> noConsumersSince(model, cutoff));
      default:
        throw AgoraException.invalidField(
            "kind", "must be CURATION_KIND_NOT_UPDATED_SINCE or CURATION_KIND_NO_CONSUMERS_SINCE");
    }
  }

  private boolean noConsumersSince(Model model, Instant cutoff) {
    if (model.getLatestPublishedVersion().isEmpty()) {
      return false;
    }
    Optional<Instant> lastCall = lastCalls.lastCall(model.getName());
    if (lastCall.isPresent()) {
      return lastCall.get().isBefore(cutoff);
    }
    return firstPublished(model.getName()).map(first -> !first.isAfter(cutoff)).orElse(false);
  }

  /** When the first of the model's versions that reached publication was published. */
  private Optional<Instant> firstPublished(String model) {
    return versions.all(model).stream()
        .filter(version -> version.hasPublishTime() && wasPublished(version.getStage()))
        .map(ModelVersion::getPublishTime)
        .map(StoredRecords::instant)
        .min(Instant::compareTo);
  }

  private static boolean wasPublished(Stage stage) {
    return stage == Stage.STAGE_PUBLISHED
        || stage == Stage.STAGE_DEPRECATED
        || stage == Stage.STAGE_RETIRED;
  }

  private static Instant updateTime(Model model) {
    return StoredRecords.instant(
        model.hasUpdateTime() ? model.getUpdateTime() : model.getCreateTime());
  }

  private List<Model> matching(Predicate<Model> wanted) {
    List<Model> found = new ArrayList<>();
    String token = "";
    do {
      ListModelsResponse page = models.list(ModelCatalog.MAX_PAGE_SIZE, token);
      for (Model model : page.getModelsList()) {
        if (wanted.test(model)) {
          found.add(model);
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return found;
  }
}
