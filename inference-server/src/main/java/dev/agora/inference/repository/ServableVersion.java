package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.batching.InferenceJob;
import dev.agora.inference.batching.Scheduler;
import dev.agora.inference.batching.SchedulerFactory;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputDescriptions;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model version that serves requests through its {@link Scheduler}.
 *
 * <p>Its session lives as long as anyone holds a reference: the repository holds one while the
 * version is cached, and every request takes one ({@link #retain()}) before it is queued and gives
 * it back ({@link #release()}) when it has its answer. Unloading or eviction only {@linkplain
 * #retire() retires} the version: no new reference can be taken (new requests load the version
 * again), requests that hold one are still served with nothing waiting in the queue, and the
 * session is closed by whoever releases the last reference, so a session is never closed under a
 * running or queued request.
 */
public final class ServableVersion implements AutoCloseable {
  private final PublishedVersion published;
  private final String label;
  private final LoadedModel model;
  private final VersionStatistics statistics = new VersionStatistics();
  private final OutputDescriptions outputDescriptions = new OutputDescriptions();
  private final Scheduler scheduler;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  ServableVersion(PublishedVersion published, LoadedModel model, SchedulerFactory schedulers) {
    this.published = published;
    this.label = published.label();
    this.model = model;
    this.scheduler =
        schedulers.create(published.model(), model, published.signature().batchable(), statistics);
  }

  /** What the catalog says about this version, including the signature requests are checked by. */
  public PublishedVersion published() {
    return published;
  }

  /** Names this version in sentences, as {@link PublishedVersion#label()}. */
  public String label() {
    return label;
  }

  /** The counters of this version. */
  public VersionStatistics statistics() {
    return statistics;
  }

  /** The output descriptions this version's responses reuse. */
  public OutputDescriptions outputDescriptions() {
    return outputDescriptions;
  }

  /** Whether requests to this version are dynamically batched. */
  public boolean batching() {
    return scheduler.batching();
  }

  /**
   * Takes a reference that keeps the session open until {@link #release()}. Fails once the version
   * is retired.
   */
  public boolean retain() {
    while (!retired.get()) {
      int current = references.get();
      if (current == 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back a reference from {@link #retain()}; the last one closes the session. */
  public void release() {
    if (references.decrementAndGet() == 0) {
      model.close();
    }
  }

  /**
   * Queues a request; the caller holds a reference until the job completes. See {@link
   * Scheduler#enqueue}.
   */
  public void enqueue(InferenceJob job) {
    scheduler.enqueue(job);
  }

  /**
   * Runs the model directly on the calling thread, outside the scheduler; for tools and tests.
   *
   * @throws AgoraException {@code MODEL_NOT_READY} once the version is retired
   */
  public List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
    if (!retain()) {
      throw AgoraException.of(
          ErrorReason.MODEL_NOT_READY,
          "The " + published.label() + " was unloaded; send the request again to load it.");
    }
    try {
      return model.run(inputs, outputNames);
    } finally {
      release();
    }
  }

  /** Whether the session has been closed. */
  public boolean isClosed() {
    return references.get() == 0;
  }

  /**
   * Stops serving new requests: queued ones run now, no new reference can be taken, and the session
   * closes when the last reference is released. Idempotent.
   */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      scheduler.drain();
      release();
    }
  }

  /** Same as {@link #retire()}. */
  @Override
  public void close() {
    retire();
  }
}
