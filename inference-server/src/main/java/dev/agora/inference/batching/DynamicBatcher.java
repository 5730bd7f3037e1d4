package dev.agora.inference.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Triton's dynamic batcher for one model version. Requests queue in arrival order; the oldest ones
 * are dispatched as one execution when the queue holds {@code maxBatchSize} rows or the oldest has
 * waited {@code maxQueueDelay}, and an execution slot is free (at most {@code maxInFlight}
 * executions of this version run at once, so requests that arrive while the slots are busy join the
 * next execution). An execution takes consecutive compatible requests up to {@code maxBatchSize}
 * rows; a single request larger than that runs alone. Expired and cancelled requests are dropped
 * when their execution is formed and again when it starts. Once {@linkplain #drain() drained},
 * nothing waits: every queued and later request is dispatched at once.
 */
public final class DynamicBatcher implements Scheduler {
  private final BatchPolicy policy;
  private final BatchExecution execution;
  private final ExecutionSlots executions;
  private final Ticker ticker;
  private final DelayTimer timer;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<InferenceJob> queue = new ArrayDeque<>();
  // a lone execution leaves the in-flight count with this; one instance, not one per request
  private final Runnable finished = this::onExecutionFinished;
  private long queuedRows;
  private int inFlight;
  private boolean timerArmed;
  private boolean draining;

  DynamicBatcher(
      BatchPolicy policy,
      BatchExecution execution,
      ExecutionSlots executions,
      Ticker ticker,
      DelayTimer timer) {
    this.policy = policy;
    this.execution = execution;
    this.executions = executions;
    this.ticker = ticker;
    this.timer = timer;
  }

  @Override
  public void enqueue(InferenceJob job) {
    Dispatch dispatch;
    lock.lock();
    try {
      job.markEnqueued(ticker.read());
      if (startsAlone(job)) {
        inFlight++;
        dispatch = null;
      } else {
        dispatch = new Dispatch();
        queue.addLast(job);
        queuedRows += job.rows();
        collect(dispatch);
      }
    } finally {
      lock.unlock();
    }
    if (dispatch == null) {
      startAlone(job);
    } else {
      dispatch.send(true);
    }
  }

  /**
   * Under the lock: whether {@code job}, arriving at an empty queue, would be dispatched alone at
   * once anyway (a slot is free and it need not wait for company), so it can skip the queue.
   */
  private boolean startsAlone(InferenceJob job) {
    if (!queue.isEmpty()) {
      return false;
    }
    if (draining) {
      return true;
    }
    return inFlight < policy.maxInFlight()
        && (policy.maxQueueDelayNanos() == 0 || job.rows() >= policy.maxBatchSize());
  }

  @Override
  public void drain() {
    Dispatch dispatch = new Dispatch();
    lock.lock();
    try {
      draining = true;
      collect(dispatch);
    } finally {
      lock.unlock();
    }
    dispatch.send(false);
  }

  @Override
  public boolean batching() {
    return true;
  }

  /** Rows waiting now; for tests and metrics. */
  public long queuedRows() {
    lock.lock();
    try {
      return queuedRows;
    } finally {
      lock.unlock();
    }
  }

  private void onTimer() {
    Dispatch dispatch = new Dispatch();
    lock.lock();
    try {
      timerArmed = false;
      collect(dispatch);
    } finally {
      lock.unlock();
    }
    dispatch.send(false);
  }

  private void onExecutionFinished() {
    Dispatch dispatch = new Dispatch();
    lock.lock();
    try {
      inFlight--;
      collect(dispatch);
    } finally {
      lock.unlock();
    }
    dispatch.send(false);
  }

  /** Under the lock: takes every execution that may start now, then arms the delay timer. */
  private void collect(Dispatch dispatch) {
    long now = ticker.read();
    while (!queue.isEmpty() && (draining || inFlight < policy.maxInFlight())) {
      if (!draining && !headReady(now)) {
        break;
      }
      List<InferenceJob> batch = form(now, dispatch);
      if (!batch.isEmpty()) {
        inFlight++;
        dispatch.add(batch);
      }
    }
    if (!queue.isEmpty() && !timerArmed && inFlight < policy.maxInFlight()) {
      long due = queue.peekFirst().enqueuedNanos() + policy.maxQueueDelayNanos();
      timerArmed = true;
      timer.schedule(this::onTimer, Math.max(0, due - now));
    }
  }

  private boolean headReady(long now) {
    return queuedRows >= policy.maxBatchSize()
        || now - queue.peekFirst().enqueuedNanos() >= policy.maxQueueDelayNanos();
  }

  private List<InferenceJob> form(long now, Dispatch dispatch) {
    List<InferenceJob> batch = new ArrayList<>();
    long rows = 0;
    while (!queue.isEmpty()) {
      InferenceJob next = queue.peekFirst();
      boolean unwanted = next.expired(now) || next.cancelled();
      if (!unwanted && !batch.isEmpty()) {
        boolean fits =
            batch.get(0).compatibleWith(next) && rows + next.rows() <= policy.maxBatchSize();
        if (!fits) {
          break;
        }
      }
      queue.pollFirst();
      queuedRows -= next.rows();
      if (unwanted) {
        dispatch.refused(next, next.expired(now) ? JobFailures.expired() : JobFailures.cancelled());
        continue;
      }
      batch.add(next);
      rows += next.rows();
      if (!next.batchable()) {
        break;
      }
    }
    return batch;
  }

  /** Starts {@code job}'s own execution, counted in flight, on the caller's thread if it can. */
  private void startAlone(InferenceJob job) {
    try {
      executions.runHereOrSubmit(new SingleJobExecution(execution, job, finished));
    } catch (RejectedExecutionException full) {
      job.fail(JobFailures.busy());
      onExecutionFinished();
    }
  }

  /** Starts one execution that was counted in flight; on the caller's thread if allowed. */
  private void start(List<InferenceJob> batch, boolean onCaller) {
    Execution run = new Together(batch);
    try {
      if (onCaller) {
        executions.runHereOrSubmit(run);
      } else {
        executions.submit(run);
      }
    } catch (RejectedExecutionException full) {
      batch.forEach(job -> job.fail(JobFailures.busy()));
      onExecutionFinished();
    }
  }

  /** A batch's execution: out of the in-flight count before its answers go out. */
  private final class Together implements Execution {
    private final List<InferenceJob> batch;

    Together(List<InferenceJob> batch) {
      this.batch = batch;
    }

    @Override
    public void run() {
      try {
        execution.run(batch);
      } finally {
        onExecutionFinished();
      }
    }

    @Override
    public void deliver() {
      for (InferenceJob job : batch) {
        job.deliver();
      }
    }
  }

  /** What one locked step decided, carried out after the lock is released. */
  private final class Dispatch {
    List<List<InferenceJob>> batches = List.of();
    List<InferenceJob> refused;
    List<RuntimeException> reasons;

    void add(List<InferenceJob> batch) {
      if (batches.isEmpty()) {
        batches = new ArrayList<>(1);
      }
      batches.add(batch);
    }

    void refused(InferenceJob job, RuntimeException reason) {
      if (refused == null) {
        refused = new ArrayList<>();
        reasons = new ArrayList<>();
      }
      refused.add(job);
      reasons.add(reason);
    }

    /**
     * Fails the refused jobs and starts the batches.
     *
     * @param onCaller whether the calling thread may run the last batch itself (a request thread
     *     enqueueing, not the timer or an execution finishing, which would nest executions)
     */
    void send(boolean onCaller) {
      if (refused != null) {
        for (int i = 0; i < refused.size(); i++) {
          refused.get(i).fail(reasons.get(i));
        }
      }
      for (int i = 0; i < batches.size(); i++) {
        start(batches.get(i), onCaller && i == batches.size() - 1);
      }
    }
  }
}
