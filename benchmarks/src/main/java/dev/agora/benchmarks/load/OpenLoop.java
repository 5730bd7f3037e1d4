package dev.agora.benchmarks.load;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Calls at a fixed rate whatever the answers do: request {@code i} is due at {@code start + i /
 * rate} ({@link RequestSchedule}) and its latency is measured from then, so a stall is charged to
 * every call it delayed, including calls the sender could not send on time (coordinated omission
 * corrected). At most {@code maxInFlight} calls are outstanding: past that the next call waits for
 * an answer, which the latencies then show.
 *
 * <p>Calls are sent from {@code sender}, a single thread: best the event loop that owns the
 * channel's connection ({@link ClientEventLoop}), so that sending costs no thread wake-up. A timer
 * on that thread fires at the next due time and sends every call that is due by then, so a late
 * timer sends a small burst rather than shifting the schedule.
 *
 * <p>The schedule starts a lead-in before the measured window, so the window opens on a steady
 * stream. Warm the client up before (a cold JVM falls behind a schedule by seconds, and the backlog
 * would poison the whole window): {@link LoadGenerator}'s {@code open} runs a closed loop first.
 */
final class OpenLoop {
  private final CallTarget<?, ?> target;
  private final EventExecutor sender;

  OpenLoop(CallTarget<?, ?> target, EventExecutor sender) {
    this.target = target;
    this.sender = sender;
  }

  Measured run(
      double ratePerSecond,
      int maxInFlight,
      Duration leadIn,
      Duration duration,
      Duration drainTimeout)
      throws InterruptedException {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("at least one call must be allowed in flight");
    }
    long start = System.nanoTime();
    long windowStart = start + leadIn.toNanos();
    Run run =
        new Run(
            new RequestSchedule(start, ratePerSecond),
            new LatencyWindow(windowStart, windowStart + duration.toNanos()),
            maxInFlight);
    sender.execute(run::send);
    long waitNanos = run.window.endNanos() - System.nanoTime() + drainTimeout.toNanos();
    if (!run.finished.await(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("calls still in flight " + drainTimeout + " after the run");
    }
    return new Measured(run.window, run.maxLag);
  }

  /** One run's state; everything but the window and the latch is touched on the sender only. */
  private final class Run {
    private final RequestSchedule schedule;
    private final LatencyWindow window;
    private final int maxInFlight;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Runnable timer = this::onTimer;
    private long next;
    private int inFlight;
    private boolean timerSet;
    private boolean allSent;
    private volatile long maxLag;

    Run(RequestSchedule schedule, LatencyWindow window, int maxInFlight) {
      this.schedule = schedule;
      this.window = window;
      this.maxInFlight = maxInFlight;
    }

    /** Sends every call that is due, then sets the timer for the next one. */
    void send() {
      long now = System.nanoTime();
      while (inFlight < maxInFlight) {
        long due = schedule.intendedStartNanos(next);
        if (due >= window.endNanos()) {
          allSent = true;
          finishIfDrained();
          return;
        }
        if (due > now) {
          if (!timerSet) {
            timerSet = true;
            sender.schedule(timer, due - now, TimeUnit.NANOSECONDS);
          }
          return;
        }
        next++;
        inFlight++;
        if (window.counts(due) && now - due > maxLag) {
          maxLag = now - due;
        }
        // an answer may come on another thread, or on this one inside call(): either way its
        // bookkeeping runs later on the sender, never inside this loop
        target.call(
            status -> {
              window.record(due, System.nanoTime(), status);
              sender.execute(this::answered);
            });
        now = System.nanoTime();
      }
      // at the limit: the next answer sends again
    }

    private void onTimer() {
      timerSet = false;
      send();
    }

    private void answered() {
      inFlight--;
      if (allSent) {
        finishIfDrained();
      } else if (inFlight == maxInFlight - 1) {
        send();
      }
    }

    private void finishIfDrained() {
      if (inFlight == 0) {
        finished.countDown();
      }
    }
  }
}
