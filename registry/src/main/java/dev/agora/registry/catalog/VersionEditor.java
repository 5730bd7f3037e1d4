package dev.agora.registry.catalog;

import com.google.protobuf.FieldMask;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes DRAFT versions: their descriptive metadata, or deleting them. Any other stage is refused,
 * which is what makes published versions immutable.
 */
public final class VersionEditor {
  /** The fields UpdateVersionMetadata may replace. */
  static final Set<String> MUTABLE =
      Set.of("card", "evaluations", "fairness", "lineage", "changelog");

  private static final Logger log = LoggerFactory.getLogger(VersionEditor.class);
  private static final Map<String, String> NOT_UPDATABLE =
      Map.ofEntries(
          Map.entry("model", "names the version and cannot change"),
          Map.entry("version", "names the version and cannot change"),
          Map.entry("stage", "changes only through the lifecycle RPCs"),
          Map.entry("artifact", "comes from the uploaded file; upload a new version instead"),
          Map.entry("signature", "comes from the uploaded file; upload a new version instead"),
          Map.entry("create_time", "is output only"),
          Map.entry("publish_time", "is output only"),
          Map.entry("revision", "is output only"),
          Map.entry("compatibility", "is output only"),
          Map.entry("publishers", "is output only"),
          Map.entry("reviewer", "is output only"),
          Map.entry("review_comment", "is output only"),
          Map.entry("sunset_time", "is set by DeprecateVersion"),
          Map.entry("successor_version", "is set by DeprecateVersion"));

  private final MetadataStore store;
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final ArtifactReferences references;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** An editor writing to {@code store} and removing unreferenced blobs via {@code references}. */
  public VersionEditor(
      MetadataStore store,
      ModelCatalog models,
      VersionRepository versions,
      ArtifactReferences references,
      InstantSource clock,
      AuditTrail audit) {
    this.store = store;
    this.models = models;
    this.versions = versions;
    this.references = references;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Replaces the metadata fields an update mask names (see {@code UpdateVersionMetadataRequest}) on
   * a DRAFT version. An update that changes nothing writes nothing.
   *
   * @throws AgoraException {@code INVALID_FIELD}, {@code MODEL_NOT_FOUND}, {@code
   *     VERSION_NOT_FOUND}, {@code LIFECYCLE_VIOLATION} unless DRAFT, or {@code CONFLICT}
   */
  public ModelVersion updateMetadata(
      ModelVersion requested, FieldMask mask, long expectedRevision) {
    String model = CatalogNames.requireModelName("version.model", requested.getModel());
    String version = CatalogNames.requireVersion("version.version", requested.getVersion());
    List<String> paths = FieldMasks.paths(mask, requested, MUTABLE, NOT_UPDATABLE);
    for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
      ModelVersion current = draft(model, version, expectedRevision, "changed");
      ModelVersion updated = FieldMasks.apply(current, requested, paths);
      VersionMetadataRules.check(updated, "version.", (m, v) -> versions.find(m, v).isPresent());
      List<String> changed = FieldMasks.changed(current, updated, paths);
      if (changed.isEmpty()) {
        return current;
      }
      ModelVersion signed = VersionPublishers.with(updated.toBuilder(), audit.caller()).build();
      Optional<ModelVersion> written = tryUpdate(current, signed, changed);
      if (written.isPresent()) {
        return written.get();
      }
    }
    throw CatalogRefusals.conflict(model + " " + version);
  }

  /**
   * Deletes a DRAFT version, and its blob when no other version references it.
   *
   * @return the store revision of the deletion
   * @throws AgoraException {@code MODEL_NOT_FOUND}, {@code VERSION_NOT_FOUND}, {@code
   *     LIFECYCLE_VIOLATION} unless DRAFT, or {@code CONFLICT}
   */
  public long deleteDraft(String model, String version, long expectedRevision) {
    for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
      ModelVersion current = draft(model, version, expectedRevision, "deleted");
      Optional<Long> revision = tryDelete(models.get(model), current);
      if (revision.isPresent()) {
        return revision.get();
      }
    }
    throw CatalogRefusals.conflict(model + " " + version);
  }

  private ModelVersion draft(String model, String version, long expectedRevision, String action) {
    ModelVersion current = versions.get(model, version);
    CatalogRefusals.requireRevision(
        expectedRevision, current.getRevision(), CatalogRefusals.subject(current));
    if (current.getStage() != Stage.STAGE_DRAFT) {
      throw CatalogRefusals.onlyDraft(current, action);
    }
    return current;
  }

  private Optional<ModelVersion> tryUpdate(
      ModelVersion current, ModelVersion updated, List<String> changed) {
    Model owner = models.get(current.getModel());
    String key = CatalogKeys.version(current.getModel(), current.getVersion());
    ModelVersion record = updated.toBuilder().clearRevision().build();
    Txn.Builder txn =
        Txn.builder().ifModRevision(key, current.getRevision()).put(key, record.toByteArray());
    audit.append(
        txn,
        event(AuditAction.AUDIT_ACTION_VERSION_METADATA_UPDATED, owner, current)
            .setSummary("updated " + String.join(", ", changed) + " of " + current.getVersion()));
    TxnResult result = store.commit(txn.build());
    return result.succeeded()
        ? Optional.of(record.toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }

  private Optional<Long> tryDelete(Model owner, ModelVersion current) {
    String sha256 = current.getArtifact().getSha256();
    String key = CatalogKeys.version(current.getModel(), current.getVersion());
    Txn.Builder txn =
        Txn.builder()
            .ifModRevision(key, current.getRevision())
            .delete(key)
            .delete(
                CatalogKeys.artifactReference(sha256, current.getModel(), current.getVersion()));
    audit.append(
        txn,
        event(AuditAction.AUDIT_ACTION_VERSION_DELETED, owner, current)
            .setSummary("deleted draft " + current.getVersion()));
    ReentrantLock lock = references.lockFor(sha256);
    lock.lock();
    try {
      TxnResult result = store.commit(txn.build());
      if (!result.succeeded()) {
        return Optional.empty();
      }
      removeBlobIfUnreferenced(sha256);
      return Optional.of(result.revision());
    } finally {
      lock.unlock();
    }
  }

  private AuditEvent.Builder event(AuditAction action, Model owner, ModelVersion current) {
    Instant now = clock.instant();
    return audit
        .event(action, current.getModel(), now)
        .setVersion(current.getVersion())
        .setTeam(owner.getOwnerTeam())
        .setRevisionBefore(current.getRevision());
  }

  /** The deletion stands either way; a blob left behind is only wasted space. */
  private void removeBlobIfUnreferenced(String sha256) {
    try {
      references.removeIfUnreferenced(sha256);
    } catch (IOException | RuntimeException e) {
      log.warn("could not remove the unreferenced blob {}", sha256, e);
    }
  }
}
