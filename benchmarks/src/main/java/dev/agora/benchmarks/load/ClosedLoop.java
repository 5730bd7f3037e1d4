package dev.agora.benchmarks.load;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of calls in flight: each answer sends the next call at once, until the window
 * ends. Latency runs from the send (a closed loop has no schedule to fall behind of), so this is
 * the mode for comparisons at a given concurrency and for finding the maximum throughput, not for
 * tail latency under load (that is {@link OpenLoop}).
 */
final class ClosedLoop {
  private final CallTarget<?, ?> target;

  ClosedLoop(CallTarget<?, ?> target) {
    this.target = target;
  }

  /** Runs {@code concurrency} loops for {@code warmup + duration} and measures the second part. */
  Measured run(int concurrency, Duration warmup, Duration duration, Duration drainTimeout)
      throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    LatencyWindow window = new LatencyWindow(windowStart, windowStart + duration.toNanos());
    CountDownLatch finished = new CountDownLatch(concurrency);
    // a failed call may complete on the caller's own stack; its successor goes through this
    // executor so that a run of failures cannot recurse
    ExecutorService afterFailure = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < concurrency; i++) {
        new Loop(window, finished, afterFailure).next();
      }
      long waitNanos = window.endNanos() - System.nanoTime() + drainTimeout.toNanos();
      if (!finished.await(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("calls still in flight " + drainTimeout + " after the run");
      }
    } finally {
      afterFailure.shutdownNow();
    }
    return new Measured(window, 0);
  }

  private final class Loop {
    private final LatencyWindow window;
    private final CountDownLatch finished;
    private final ExecutorService afterFailure;

    Loop(LatencyWindow window, CountDownLatch finished, ExecutorService afterFailure) {
      this.window = window;
      this.finished = finished;
      this.afterFailure = afterFailure;
    }

    void next() {
      long sent = System.nanoTime();
      if (sent >= window.endNanos()) {
        finished.countDown();
        return;
      }
      target.call(status -> completed(sent, status));
    }

    private void completed(long sent, Status status) {
      window.record(sent, System.nanoTime(), status);
      if (status.isOk()) {
        next();
      } else {
        afterFailure.execute(this::next);
      }
    }
  }
}
