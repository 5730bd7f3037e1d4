package dev.agora.inference.batching;

/**
 * One job run as an execution of its own: the model runs, then {@code finished} (the scheduler's
 * bookkeeping, while the slot is still held), then, once the slot is free, the answer goes out.
 */
final class SingleJobExecution implements Execution {
  private final BatchExecution execution;
  private final InferenceJob job;
  private final Runnable finished;

  SingleJobExecution(BatchExecution execution, InferenceJob job, Runnable finished) {
    this.execution = execution;
    this.job = job;
    this.finished = finished;
  }

  @Override
  public void run() {
    try {
      execution.runOne(job);
    } finally {
      finished.run();
    }
  }

  @Override
  public void deliver() {
    job.deliver();
  }
}
