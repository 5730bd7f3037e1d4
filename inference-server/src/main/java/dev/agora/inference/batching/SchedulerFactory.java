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
  private final BatchPolicies batching;
  private final ExecutionSlots executions;
  private final Ticker ticker;
  private final DelayTimer timer;
  private final TensorBufferPool pool;

  /**
   * A factory.
   *
   * @param batching how each model is batched, if at all
   * @param executions where models run: the bounded execution pool, or a request thread holding one
   *     of its slots; never a transport thread
   */
  public SchedulerFactory(
      BatchPolicies batching,
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

  /**
   * The scheduler for one version.
   *
   * @param name the model's name, which picks its batching policy
   * @param batchable whether every input and output has a dynamic first dimension
   */
  public Scheduler create(
      String name, LoadedModel model, boolean batchable, VersionStatistics statistics) {
    BatchExecution execution = new BatchExecution(model, pool, ticker, statistics);
    Optional<BatchPolicy> policy = batchable ? batching.forModel(name) : Optional.empty();
    if (policy.isPresent()) {
      return new DynamicBatcher(policy.get(), execution, executions, ticker, timer);
    }
    return new DirectScheduler(execution, executions, ticker);
  }
}
