package dev.agora.inference.batching;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where model executions run: a fixed number of slots shared by the execution pool and the threads
 * that admit requests. An execution takes a slot for as long as it runs, so no more executions run
 * at once than there are slots, whichever thread runs them.
 *
 * <p>A request thread that finds a slot free and no execution waiting for the pool runs its
 * execution itself ({@link #runHereOrSubmit}): an idle server then answers without handing the
 * request to another thread, which on a small model costs more than the model does. An execution
 * gives its slot back before it delivers its answers ({@link Execution}). Otherwise the execution
 * waits in the pool's queue, in arrival order, and a pool thread runs it when a slot frees. Only
 * threads that may block call {@link #runHereOrSubmit}: gRPC application threads and request
 * threads, never a transport thread or the batch timer.
 */
public final class ExecutionSlots {
  private final Executor pool;
  private final Semaphore slots;
  private final boolean callerMayRun;
  private final AtomicInteger waiting = new AtomicInteger();

  private ExecutionSlots(Executor pool, int slots, boolean callerMayRun) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1");
    }
    this.pool = pool;
    this.slots = new Semaphore(slots);
    this.callerMayRun = callerMayRun;
  }

  /**
   * Slots for a pool of {@code threads} threads; a request thread runs its execution itself when
   * one is free.
   */
  public static ExecutionSlots sharedWithCallers(Executor pool, int threads) {
    return new ExecutionSlots(pool, threads, true);
  }

  /** Every execution runs on {@code pool}, whose own size bounds them; for tests and benchmarks. */
  public static ExecutionSlots poolOnly(Executor pool) {
    return new ExecutionSlots(pool, Integer.MAX_VALUE, false);
  }

  /**
   * Runs {@code execution} on the calling thread if a slot is free and nothing waits for the pool,
   * else queues it like {@link #submit}.
   *
   * @throws RejectedExecutionException when it had to be queued and the pool's queue is full
   */
  void runHereOrSubmit(Execution execution) {
    if (callerMayRun && waiting.get() == 0 && slots.tryAcquire()) {
      try {
        execution.run();
      } finally {
        slots.release();
      }
      execution.deliver();
      return;
    }
    submit(execution);
  }

  /**
   * Queues {@code execution} for a pool thread, which runs it once it holds a slot.
   *
   * @throws RejectedExecutionException when the pool's queue is full
   */
  void submit(Execution execution) {
    waiting.incrementAndGet();
    try {
      pool.execute(() -> runInSlot(execution));
    } catch (RejectedExecutionException full) {
      waiting.decrementAndGet();
      throw full;
    }
  }

  private void runInSlot(Execution execution) {
    slots.acquireUninterruptibly();
    waiting.decrementAndGet();
    try {
      execution.run();
    } finally {
      slots.release();
    }
    execution.deliver();
  }
}
