package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded model version that serves requests. Runs share a read lock and closing takes the write
 * lock, so a session is never closed under a running request; a run after close is refused with
 * {@code MODEL_NOT_READY}.
 */
public final class ServableVersion implements AutoCloseable {
  private final PublishedVersion published;
  private final LoadedModel model;
  private final VersionStatistics statistics = new VersionStatistics();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  ServableVersion(PublishedVersion published, LoadedModel model) {
    this.published = published;
    this.model = model;
  }

  /** What the catalog says about this version, including the signature requests are checked by. */
  public PublishedVersion published() {
    return published;
  }

  /** The counters of this version. */
  public VersionStatistics statistics() {
    return statistics;
  }

  /** Runs the model on validated inputs; see {@link LoadedModel#run}. */
  public List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw AgoraException.of(
            ErrorReason.MODEL_NOT_READY,
            "The " + published.label() + " was unloaded; send the request again to load it.");
      }
      return model.run(inputs, outputNames);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for running requests, then closes the session. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        model.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
