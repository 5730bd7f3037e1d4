package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.Model;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds models a curator may want to look at. Only {@code NOT_UPDATED_SINCE} is answered: the
 * registry records no inference traffic, so "no consumers since" cannot be told apart from "never
 * looked at" and is refused with {@code NOT_IMPLEMENTED}.
 */
public final class CurationQueries {
  /** The largest {@code days}: about a century. */
  static final int MAX_DAYS = 36_500;

  private final ModelCatalog models;
  private final InstantSource clock;

  /** Queries over {@code models}, measuring ages with {@code clock}. */
  public CurationQueries(ModelCatalog models, InstantSource clock) {
    this.models = models;
    this.clock = clock;
  }

  /**
   * The models of the given kind, in name order.
   *
   * @throws AgoraException {@code INVALID_FIELD} for an unspecified kind or days out of range,
   *     {@code NOT_IMPLEMENTED} for {@code NO_CONSUMERS_SINCE}
   */
  public List<Model> candidates(CurationKind kind, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw AgoraException.invalidField("days", "must be between 1 and " + MAX_DAYS);
    }
    switch (kind) {
      case CURATION_KIND_NOT_UPDATED_SINCE:
        return notUpdatedSince(clock.instant().minus(Duration.ofDays(days)));
      case CURATION_KIND_NO_CONSUMERS_SINCE:
        throw AgoraException.of(
            ErrorReason.NOT_IMPLEMENTED,
            "The registry records no inference usage yet, so it cannot tell which models have no"
                + " consumers; use CURATION_KIND_NOT_UPDATED_SINCE.");
      default:
        throw AgoraException.invalidField(
            "kind", "must be CURATION_KIND_NOT_UPDATED_SINCE or CURATION_KIND_NO_CONSUMERS_SINCE");
    }
  }

  private List<Model> notUpdatedSince(Instant cutoff) {
    List<Model> found = new ArrayList<>();
    String token = "";
    do {
      ListModelsResponse page = models.list(ModelCatalog.MAX_PAGE_SIZE, token);
      for (Model model : page.getModelsList()) {
        Instant updated =
            StoredRecords.instant(
                model.hasUpdateTime() ? model.getUpdateTime() : model.getCreateTime());
        if (updated.isBefore(cutoff)) {
          found.add(model);
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return found;
  }
}
