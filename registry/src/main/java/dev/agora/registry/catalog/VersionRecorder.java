package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.SignatureComparison;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.blob.BlobWriter;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records new versions together with their artifacts. The signature is compared with the baseline
 * version first (see {@link CompatibilityCheck}) and a breaking change without a major bump is
 * refused before anything is written. The blob is committed before the version record that names
 * it, and the version record, an artifact reference key and the audit event are written in one
 * transaction, under the digest's lock from {@link ArtifactReferences}.
 */
public final class VersionRecorder {
  private static final Logger log = LoggerFactory.getLogger(VersionRecorder.class);

  private final MetadataStore store;
  private final ArtifactReferences references;
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** A recorder writing records to {@code store} and artifacts through {@code references}. */
  public VersionRecorder(
      MetadataStore store,
      ArtifactReferences references,
      ModelCatalog models,
      VersionRepository versions,
      InstantSource clock,
      AuditTrail audit) {
    this.store = store;
    this.references = references;
    this.models = models;
    this.versions = versions;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * The version when it already exists with this artifact, empty when it does not exist yet.
   *
   * @throws AgoraException {@code VERSION_ALREADY_EXISTS} when it exists with another artifact
   */
  public Optional<ModelVersion> findSameArtifact(String model, String version, String sha256) {
    return versions.find(model, version).map(existing -> sameArtifactOrRefuse(existing, sha256));
  }

  /**
   * Commits the sealed artifact and records {@code unstamped}, stamped with the current time and
   * its signature comparison. When the version already exists with the same artifact, the existing
   * record is returned and the staged copy discarded. On any failure the writer is aborted and a
   * blob this call placed is removed unless another version references it.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND}, {@code VERSION_ALREADY_EXISTS}, {@code
   *     INCOMPATIBLE_SIGNATURE} or {@code CONFLICT}
   */
  public ModelVersion record(ModelVersion unstamped, BlobWriter sealed) throws IOException {
    String sha256 = unstamped.getArtifact().getSha256();
    ReentrantLock lock = references.lockFor(sha256);
    lock.lock();
    boolean placed = false;
    try {
      for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
        Model model = models.get(unstamped.getModel());
        Optional<ModelVersion> existing =
            versions.find(unstamped.getModel(), unstamped.getVersion());
        if (existing.isPresent()) {
          sealed.abort();
          return sameArtifactOrRefuse(existing.get(), sha256);
        }
        ModelVersion draft = withComparison(unstamped);
        if (!placed) {
          sealed.commit();
          placed = true;
        }
        TxnResult result = store.commit(insert(model, draft));
        if (result.succeeded()) {
          return draft.toBuilder().setRevision(result.revision()).build();
        }
      }
      throw CatalogRefusals.conflict(unstamped.getModel() + " " + unstamped.getVersion());
    } catch (IOException | RuntimeException e) {
      sealed.abort();
      if (placed) {
        removeIfUnreferenced(sha256, e);
      }
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** The draft stamped with the current time and checked against its baseline. */
  private ModelVersion withComparison(ModelVersion unstamped) {
    String model = unstamped.getModel();
    String version = unstamped.getVersion();
    SignatureComparison comparison =
        CompatibilityCheck.compare(versions.all(model), version, unstamped.getSignature());
    CompatibilityCheck.requireAllowed(model, version, comparison);
    return unstamped.toBuilder()
        .setCreateTime(StoredRecords.timestamp(clock.instant()))
        .setCompatibility(comparison)
        .build();
  }

  private Txn insert(Model model, ModelVersion draft) {
    String versionKey = CatalogKeys.version(draft.getModel(), draft.getVersion());
    String modelKey = CatalogKeys.model(model.getName());
    String sha256 = draft.getArtifact().getSha256();
    String reference = CatalogKeys.artifactReference(sha256, draft.getModel(), draft.getVersion());
    Txn.Builder txn =
        Txn.builder()
            .ifModRevision(modelKey, model.getRevision())
            .ifAbsent(versionKey)
            .put(versionKey, draft.toBuilder().clearRevision().build().toByteArray())
            .put(reference, new byte[0]);
    Instant created = StoredRecords.instant(draft.getCreateTime());
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_VERSION_UPLOADED, draft.getModel(), created)
            .setVersion(draft.getVersion())
            .setTeam(model.getOwnerTeam())
            .setSummary(
                "uploaded "
                    + draft.getVersion()
                    + " (sha256 "
                    + sha256.substring(0, 12)
                    + "…; "
                    + draft.getCompatibility().getSummary()
                    + ")"));
    return txn.build();
  }

  private void removeIfUnreferenced(String sha256, Exception failure) {
    try {
      references.removeIfUnreferenced(sha256);
    } catch (IOException | RuntimeException cleanup) {
      log.warn("could not remove unreferenced blob {}", sha256, cleanup);
      failure.addSuppressed(cleanup);
    }
  }

  private static ModelVersion sameArtifactOrRefuse(ModelVersion existing, String sha256) {
    String recorded = existing.getArtifact().getSha256();
    if (recorded.equals(sha256)) {
      return existing;
    }
    throw AgoraException.builder(
            ErrorReason.VERSION_ALREADY_EXISTS,
            "Model '"
                + existing.getModel()
                + "' already has version "
                + existing.getVersion()
                + " with a different artifact (sha256 "
                + recorded
                + "); versions are never overwritten, so upload a new version.")
        .metadata("model", existing.getModel())
        .metadata("version", existing.getVersion())
        .metadata("sha256", recorded)
        .build();
  }
}
