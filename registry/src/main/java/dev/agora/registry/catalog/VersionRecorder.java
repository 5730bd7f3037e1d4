package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.blob.BlobWriter;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records new versions together with their artifacts. The blob is committed before the version
 * record that names it, and the version record and an artifact reference key are written in one
 * transaction. Recording and the removal of a blob nobody references take the same per-digest lock,
 * so a blob is never removed between another upload committing it and recording its version.
 */
public final class VersionRecorder {
  private static final Logger log = LoggerFactory.getLogger(VersionRecorder.class);
  private static final int LOCK_STRIPES = 64;

  private final MetadataStore store;
  private final BlobStore blobs;
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final InstantSource clock;
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  /** A recorder writing records to {@code store} and artifacts to {@code blobs}. */
  public VersionRecorder(
      MetadataStore store,
      BlobStore blobs,
      ModelCatalog models,
      VersionRepository versions,
      InstantSource clock) {
    this.clock = clock;
    this.store = store;
    this.blobs = blobs;
    this.models = models;
    this.versions = versions;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
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
   * Commits the sealed artifact and records {@code draft}, stamped with the current time. When the
   * version already exists with the same artifact, the existing record is returned and the staged
   * copy discarded. On any failure the writer is aborted and a blob this call placed is removed
   * unless another version references it.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND}, {@code VERSION_ALREADY_EXISTS} or {@code
   *     CONFLICT}
   */
  public ModelVersion record(ModelVersion unstamped, BlobWriter sealed) throws IOException {
    ModelVersion draft =
        unstamped.toBuilder().setCreateTime(StoredRecords.timestamp(clock.instant())).build();
    String sha256 = draft.getArtifact().getSha256();
    ReentrantLock lock = lockFor(sha256);
    lock.lock();
    boolean placed = false;
    try {
      for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
        Model model = models.get(draft.getModel());
        Optional<ModelVersion> existing = versions.find(draft.getModel(), draft.getVersion());
        if (existing.isPresent()) {
          sealed.abort();
          return sameArtifactOrRefuse(existing.get(), sha256);
        }
        if (!placed) {
          sealed.commit();
          placed = true;
        }
        TxnResult result = store.commit(insert(model, draft));
        if (result.succeeded()) {
          return draft.toBuilder().setRevision(result.revision()).build();
        }
      }
      throw VersionRepository.conflict(draft.getModel() + " " + draft.getVersion());
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

  private static Txn insert(Model model, ModelVersion draft) {
    String versionKey = CatalogKeys.version(draft.getModel(), draft.getVersion());
    String modelKey = CatalogKeys.model(model.getName());
    String reference =
        CatalogKeys.artifactReference(
            draft.getArtifact().getSha256(), draft.getModel(), draft.getVersion());
    return Txn.builder()
        .ifModRevision(modelKey, model.getRevision())
        .ifAbsent(versionKey)
        .put(versionKey, draft.toBuilder().clearRevision().build().toByteArray())
        .put(reference, new byte[0])
        .build();
  }

  private void removeIfUnreferenced(String sha256, Exception failure) {
    try {
      boolean referenced =
          !store.range(CatalogKeys.artifactReferences(sha256), null, 1).kvs().isEmpty();
      if (!referenced) {
        blobs.delete(sha256);
      }
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

  private ReentrantLock lockFor(String sha256) {
    return locks[Math.floorMod(sha256.hashCode(), LOCK_STRIPES)];
  }
}
