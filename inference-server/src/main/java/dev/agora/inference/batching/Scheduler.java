package dev.agora.inference.batching;

/**
 * Decides when and with what company each request of one model version runs. Implementations are
 * safe for concurrent use. {@link #enqueue} may run the model on the calling thread (see {@link
 * ExecutionSlots}), so it is only called from threads that may block, never from a transport
 * thread.
 */
public interface Scheduler {

  /**
   * Queues {@code job}. Never throws: the job's {@link InferenceJob#result()} completes on the
   * thread that ran it with its outputs, or exceptionally (the model's failure, {@code
   * DEADLINE_EXCEEDED} or {@code CANCELLED} when it was dropped, {@code LIMIT_EXCEEDED} when the
   * execution pool is full). The caller must hold a reference on the version until then.
   */
  void enqueue(InferenceJob job);

  /**
   * Stops waiting: everything queued, and everything enqueued later by requests that still hold a
   * reference, is dispatched at once, ignoring the queue delay. Used when the version is retired
   * (unloaded, evicted, or the server stops) so its session can close as soon as possible.
   */
  void drain();

  /** Whether this scheduler coalesces requests (what {@code ModelConfig} reports). */
  boolean batching();
}
