package dev.agora.inference.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Ticker} and a {@link DelayTimer} that move only when the test says so: {@link #advance}
 * moves time and runs the delayed tasks that have come due, on the test's thread.
 */
final class ManualClock implements Ticker, DelayTimer {
  private record Delayed(long due, Runnable task) {}

  private long now = 1_000_000_000L;
  private final List<Delayed> delayed = new ArrayList<>();

  @Override
  public synchronized long read() {
    return now;
  }

  @Override
  public synchronized void schedule(Runnable task, long delayNanos) {
    delayed.add(new Delayed(now + delayNanos, task));
  }

  /** Moves time forward by {@code nanos} and runs every delayed task now due. */
  void advance(long nanos) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      now += nanos;
      delayed.removeIf(
          d -> {
            if (d.due() <= now) {
              due.add(d.task());
              return true;
            }
            return false;
          });
    }
    due.forEach(Runnable::run);
  }

  synchronized int pendingDelays() {
    return delayed.size();
  }
}
