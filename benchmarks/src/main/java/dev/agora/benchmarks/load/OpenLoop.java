package dev.agora.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls at a fixed rate whatever the answers do: request {@code i} is due at {@code start + i /
 * rate} ({@link RequestSchedule}) and its latency is measured from then, so a stall is charged to
 * every call it delayed, including calls the sender could not send on time (coordinated omission
 * corrected). One thread sends; answers arrive on transport threads. At most {@code maxInFlight}
 * calls are outstanding: past that the sender waits, which the latencies then show.
 *
 * <p>The schedule starts a lead-in before the measured window, so the window opens on a steady
 * stream. Warm the client up before (a cold JVM falls behind a schedule by seconds, and the backlog
 * would poison the whole window): {@link LoadGenerator}'s {@code open} runs a closed loop first.
 */
final class OpenLoop {
  private final CallTarget<?, ?> target;

  OpenLoop(CallTarget<?, ?> target) {
    this.target = target;
  }

  Measured run(
      double ratePerSecond,
      int maxInFlight,
      Duration leadIn,
      Duration duration,
      Duration drainTimeout)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(maxInFlight);
    long start = System.nanoTime();
    RequestSchedule schedule = new RequestSchedule(start, ratePerSecond);
    long windowStart = start + leadIn.toNanos();
    LatencyWindow window = new LatencyWindow(windowStart, windowStart + duration.toNanos());
    long maxLag = 0;
    for (long i = 0; ; i++) {
      long due = schedule.intendedStartNanos(i);
      if (due >= window.endNanos()) {
        break;
      }
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(due - now);
      }
      inFlight.acquire();
      if (window.counts(due)) {
        maxLag = Math.max(maxLag, System.nanoTime() - due);
      }
      target.call(
          status -> {
            window.record(due, System.nanoTime(), status);
            inFlight.release();
          });
    }
    if (!inFlight.tryAcquire(maxInFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("calls still in flight " + drainTimeout + " after the run");
    }
    return new Measured(window, maxLag);
  }
}
