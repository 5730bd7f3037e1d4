package dev.agora.inference.batching;

import java.util.concurrent.RejectedExecutionException;

/**
 * Runs every request as its own execution, in arrival order; for models that cannot batch (a static
 * or missing first dimension). The execution slots bound concurrency: the request's own thread runs
 * it when a slot is free, else it waits for the execution pool.
 */
public final class DirectScheduler implements Scheduler {
  private static final Runnable NOTHING = () -> {};

  private final BatchExecution execution;
  private final ExecutionSlots executions;
  private final Ticker ticker;

  DirectScheduler(BatchExecution execution, ExecutionSlots executions, Ticker ticker) {
    this.execution = execution;
    this.executions = executions;
    this.ticker = ticker;
  }

  @Override
  public void enqueue(InferenceJob job) {
    job.markEnqueued(ticker.read());
    try {
      executions.runHereOrSubmit(new SingleJobExecution(execution, job, NOTHING));
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
