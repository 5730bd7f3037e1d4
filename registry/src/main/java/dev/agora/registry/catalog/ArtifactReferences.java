package dev.agora.registry.catalog;

import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.store.MetadataStore;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which versions use an artifact, and the per-digest locks that keep a blob from being removed
 * between another upload committing it and recording its version: recording and removal both hold
 * {@link #lockFor the digest's lock}.
 */
public final class ArtifactReferences {
  private static final int LOCK_STRIPES = 64;

  private final MetadataStore store;
  private final BlobStore blobs;
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  /** References recorded in {@code store} to the blobs in {@code blobs}. */
  public ArtifactReferences(MetadataStore store, BlobStore blobs) {
    this.store = store;
    this.blobs = blobs;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The lock to hold while recording a version of, or removing, the artifact {@code sha256}. */
  ReentrantLock lockFor(String sha256) {
    return locks[Math.floorMod(sha256.hashCode(), LOCK_STRIPES)];
  }

  /**
   * Removes the blob when no version references it any more. Call it holding the digest's lock.
   *
   * @return whether the blob was removed
   */
  boolean removeIfUnreferenced(String sha256) throws IOException {
    boolean referenced =
        !store.range(CatalogKeys.artifactReferences(sha256), null, 1).kvs().isEmpty();
    if (referenced) {
      return false;
    }
    blobs.delete(sha256);
    return true;
  }
}
