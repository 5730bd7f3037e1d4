package dev.agora.inference.batching;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor that queues tasks until the test runs them, and can be told to refuse them. */
final class ManualExecutor implements Executor {
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private boolean refusing;

  @Override
  public synchronized void execute(Runnable task) {
    if (refusing) {
      throw new RejectedExecutionException("full");
    }
    tasks.addLast(task);
  }

  synchronized int queued() {
    return tasks.size();
  }

  synchronized void refuse(boolean refusing) {
    this.refusing = refusing;
  }

  /** Runs the oldest queued task; false when there is none. */
  boolean runOne() {
    Runnable task;
    synchronized (this) {
      task = tasks.pollFirst();
    }
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** Runs tasks, including ones they queue, until none is left. */
  void runAll() {
    while (runOne()) {
      // keep going
    }
  }
}
