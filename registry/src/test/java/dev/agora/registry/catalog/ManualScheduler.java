package dev.agora.registry.catalog;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose fixed-delay task runs only when a test says so, on the test's thread. It keeps
 * the schedule it was given, so tests can check it. A task that throws would end a real fixed-delay
 * schedule; here it fails the test instead.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {
  private volatile Runnable task;
  private volatile long initialDelay = -1;
  private volatile long delay = -1;
  private volatile TimeUnit unit;

  ManualScheduler() {
    super(1);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    if (task != null) {
      throw new IllegalStateException("only one task is expected");
    }
    this.task = command;
    this.initialDelay = initialDelay;
    this.delay = delay;
    this.unit = unit;
    return super.schedule(() -> {}, 0, TimeUnit.SECONDS);
  }

  /** Runs the scheduled task once, as the schedule would at its next time. */
  void runScheduledTask() {
    if (task == null) {
      throw new IllegalStateException("nothing was scheduled");
    }
    if (isShutdown()) {
      throw new IllegalStateException("the scheduler was shut down");
    }
    task.run();
  }

  long initialDelayMillis() {
    return unit.toMillis(initialDelay);
  }

  long delayMillis() {
    return unit.toMillis(delay);
  }
}
