package dev.agora.inference.batching;

import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.TensorBufferPool;
import java.util.Optional;

/**
 * Creates the scheduler of each loaded model version: a {@link DynamicBatcher} when the model
 * batches along its first dimension and batching is enabled, else a {@link DirectScheduler}. All
 * schedulers share the execution slots, the clock, the delay timer and the buffer pool.
 */
public final class SchedulerFactory {
  private final Optional<BatchPolicy> batching;
  private final ExecutionSlots executions;
  private final Ticker ticker;
  private final DelayTimer timer;
  private final TensorBufferPool pool;

  /**
   * A factory.
   *
   * @param batching the policy for batching models; empty disables dynamic batching
   * @param executions where models run: the bounded execution pool, or a request thread holding one
   *     of its slots; never a transport thread
   */
  public SchedulerFactory(
      Optional<BatchPolicy> batching,
      ExecutionSlots executions,
      Ticker ticker,
      DelayTimer timer,
      TensorBufferPool pool) {
    this.batching = batching;
    this.executions = executions;
    this.ticker = ticker;
    this.timer = timer;
    this.pool = pool;
  }

  /** The policy batching models get, if batching is enabled. */
  public Optional<BatchPolicy> batching() {
    return batching;
  }

  /**
   * The scheduler for one version.
   *
   * @param batchable whether every input and output has a dynamic first dimension
   */
  public Scheduler create(LoadedModel model, boolean batchable, VersionStatistics statistics) {
    BatchExecution execution = new BatchExecution(model, pool, ticker, statistics);
    if (batchable && batching.isPresent()) {
      return new DynamicBatcher(batching.get(), execution, executions, ticker, timer);
    }
    return new DirectScheduler(execution, executions, ticker);
  }
}
