package dev.agora.inference.batching;

import java.util.concurrent.RejectedExecutionException;

/**
 * Runs every request as its own execution, in arrival order; for models that cannot batch (a static
 * or missing first dimension). The execution slots bound concurrency: the request's own thread runs
 * it when a slot is free, else it waits for the execution pool.
 */
public final class DirectScheduler implements Scheduler {
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
      executions.runHereOrSubmit(new Alone(job));
    } catch (RejectedExecutionException full) {
      job.fail(JobFailures.busy());
    }
  }

  /** One job's execution; its answer goes out after the slot is free. */
  private final class Alone implements Execution {
    private final InferenceJob job;

    Alone(InferenceJob job) {
      this.job = job;
    }

    @Override
    public void run() {
      execution.runOne(job);
    }

    @Override
    public void deliver() {
      job.deliver();
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
