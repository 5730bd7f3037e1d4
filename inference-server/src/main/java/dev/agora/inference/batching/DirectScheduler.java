package dev.agora.inference.batching;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs every request as its own execution on the execution pool, in arrival order; for models that
 * cannot batch (a static or missing first dimension). The pool's bound limits concurrency.
 */
public final class DirectScheduler implements Scheduler {
  private final BatchExecution execution;
  private final Executor executor;
  private final Ticker ticker;

  DirectScheduler(BatchExecution execution, Executor executor, Ticker ticker) {
    this.execution = execution;
    this.executor = executor;
    this.ticker = ticker;
  }

  @Override
  public void enqueue(InferenceJob job) {
    job.markEnqueued(ticker.read());
    try {
      executor.execute(() -> execution.run(List.of(job)));
    } catch (RejectedExecutionException full) {
      job.fail(JobFailures.busy());
    }
  }

  /** Nothing waits here, so there is nothing to flush. */
  @Override
  public void drain() {}

  @Override
  public boolean batching() {
    return false;
  }
}
