package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Moves versions through the governed lifecycle: DRAFT → IN_REVIEW → PUBLISHED (through the {@link
 * PublishingGates}) → DEPRECATED → RETIRED, and IN_REVIEW → REJECTED → DRAFT. A version in the
 * wrong stage is refused with {@code LIFECYCLE_VIOLATION} naming the {@link Transition}.
 */
public final class VersionLifecycle {
  private static final int MAX_TEXT = 10_000;

  private final MetadataStore store;
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final Deprecations deprecations;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** A lifecycle writing to {@code store}, with deprecation rules from {@code config}. */
  public VersionLifecycle(
      MetadataStore store,
      ModelCatalog models,
      VersionRepository versions,
      GovernanceConfig config,
      InstantSource clock,
      AuditTrail audit) {
    this.store = store;
    this.models = models;
    this.versions = versions;
    this.deprecations = new Deprecations(versions, config, clock);
    this.clock = clock;
    this.audit = audit;
  }

  /** DRAFT → IN_REVIEW; the caller joins the version's publishers. */
  public ModelVersion submit(String model, String version) {
    return transition(
        model,
        version,
        Transition.SUBMIT,
        (owner, current) -> VersionPublishers.with(current.toBuilder(), audit.caller()));
  }

  /**
   * IN_REVIEW → PUBLISHED, once every gate passes.
   *
   * @throws AgoraException {@code GOVERNANCE_GATE_FAILED} listing every failing gate
   */
  public ModelVersion approve(String model, String version, String comment) {
    String text = requireText("comment", comment, false);
    String reviewer = audit.caller();
    for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
      ModelVersion current = versions.get(model, version);
      Transition.APPROVE.requireFrom(current);
      Model owner = models.get(model);
      PublishingGates.require(owner, current, reviewer);
      ModelVersion.Builder changes =
          current.toBuilder().setReviewer(reviewer).setReviewComment(text);
      Optional<ModelVersion> published =
          versions.tryPublish(owner, current, changes, "approved and published ");
      if (published.isPresent()) {
        return published.get();
      }
    }
    throw CatalogRefusals.conflict(model + " " + version);
  }

  /** IN_REVIEW → REJECTED, with a required reason. */
  public ModelVersion reject(String model, String version, String reason) {
    String text = requireText("reason", reason, true);
    String reviewer = audit.caller();
    return transition(
        model,
        version,
        Transition.REJECT,
        (owner, current) -> current.toBuilder().setReviewer(reviewer).setReviewComment(text));
  }

  /** REJECTED → DRAFT; the review outcome is cleared. */
  public ModelVersion reopen(String model, String version) {
    return transition(
        model,
        version,
        Transition.REOPEN,
        (owner, current) -> current.toBuilder().clearReviewer().clearReviewComment());
  }

  /**
   * PUBLISHED → DEPRECATED.
   *
   * @throws AgoraException see {@link Deprecations#check}
   */
  public ModelVersion deprecate(
      String model, String version, Instant sunset, String successorVersion) {
    deprecations.check(model, version, sunset, successorVersion);
    return transition(
        model,
        version,
        Transition.DEPRECATE,
        (owner, current) ->
            current.toBuilder()
                .setSunsetTime(StoredRecords.timestamp(sunset))
                .setSuccessorVersion(successorVersion));
  }

  /** PUBLISHED or DEPRECATED → RETIRED; the model's latest published version drops past it. */
  public ModelVersion retire(String model, String version) {
    return transition(model, version, Transition.RETIRE, (owner, current) -> current.toBuilder());
  }

  private ModelVersion transition(
      String model,
      String version,
      Transition transition,
      BiFunction<Model, ModelVersion, ModelVersion.Builder> change) {
    for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
      ModelVersion current = versions.get(model, version);
      transition.requireFrom(current);
      Model owner = models.get(model);
      ModelVersion updated =
          change.apply(owner, current).setStage(transition.to()).clearRevision().build();
      Optional<ModelVersion> written = tryWrite(owner, current, updated, transition);
      if (written.isPresent()) {
        return written.get();
      }
    }
    throw CatalogRefusals.conflict(model + " " + version);
  }

  private Optional<ModelVersion> tryWrite(
      Model owner, ModelVersion current, ModelVersion updated, Transition transition) {
    Instant now = clock.instant();
    String versionKey = CatalogKeys.version(current.getModel(), current.getVersion());
    String modelKey = CatalogKeys.model(owner.getName());
    Model changedModel =
        owner.toBuilder()
            .setLatestPublishedVersion(
                transition == Transition.RETIRE
                    ? VersionPublishers.latestServable(
                        versions.all(owner.getName()), current.getVersion())
                    : owner.getLatestPublishedVersion())
            .setUpdateTime(StoredRecords.timestamp(now))
            .clearRevision()
            .build();
    Txn.Builder txn =
        Txn.builder()
            .ifModRevision(versionKey, current.getRevision())
            .ifModRevision(modelKey, owner.getRevision())
            .put(versionKey, updated.toByteArray())
            .put(modelKey, changedModel.toByteArray());
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_VERSION_STAGE_CHANGED, owner.getName(), now)
            .setVersion(current.getVersion())
            .setTeam(owner.getOwnerTeam())
            .setRevisionBefore(current.getRevision())
            .setSummary(
                transition.verb()
                    + " "
                    + current.getVersion()
                    + " ("
                    + Transition.stageName(current.getStage())
                    + " → "
                    + Transition.stageName(transition.to())
                    + ")"));
    TxnResult result = store.commit(txn.build());
    return result.succeeded()
        ? Optional.of(updated.toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }

  private static String requireText(String field, String text, boolean required) {
    if (required && text.isBlank()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (text.length() > MAX_TEXT) {
      throw AgoraException.invalidField(field, "is longer than " + MAX_TEXT + " characters");
    }
    return text;
  }
}
