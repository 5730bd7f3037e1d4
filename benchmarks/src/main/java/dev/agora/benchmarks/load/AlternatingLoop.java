package dev.agora.benchmarks.load;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One call in flight, alternating between targets in blocks of {@code block} each: the side-by-side
 * form of a c=1 {@link ClosedLoop}. Both targets are measured by the same client JVM, equally
 * warmed, in the same window, and a burst of noise on the machine falls on whichever block is
 * running, so it spreads over both instead of deciding one separate run. Each target's latencies go
 * to its own window; latency runs from the send.
 */
final class AlternatingLoop {
  private final List<CallTarget<?, ?>> targets;
  private final long blockNanos;

  AlternatingLoop(List<CallTarget<?, ?>> targets, Duration block) {
    if (targets.size() < 2) {
      throw new IllegalArgumentException("alternating needs at least two targets");
    }
    if (block.isNegative() || block.isZero()) {
      throw new IllegalArgumentException("a block must last some time");
    }
    this.targets = List.copyOf(targets);
    this.blockNanos = block.toNanos();
  }

  /**
   * Alternates for {@code warmup + duration}; returns one measurement per target, in the order
   * given.
   */
  List<Measured> run(Duration warmup, Duration duration, Duration drainTimeout)
      throws InterruptedException {
    long windowStart = System.nanoTime() + warmup.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    List<LatencyWindow> windows =
        targets.stream().map(target -> new LatencyWindow(windowStart, windowEnd)).toList();
    CountDownLatch finished = new CountDownLatch(1);
    // a failed call may complete on the caller's own stack; its successor goes through this
    // executor so that a run of failures cannot recurse
    ExecutorService afterFailure = Executors.newSingleThreadExecutor();
    try {
      new Loop(windows, finished, afterFailure).next();
      long waitNanos = windowEnd - System.nanoTime() + drainTimeout.toNanos();
      if (!finished.await(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("a call was still in flight " + drainTimeout + " after");
      }
    } finally {
      afterFailure.shutdownNow();
    }
    return windows.stream().map(window -> new Measured(window, 0)).toList();
  }

  private final class Loop {
    private final List<LatencyWindow> windows;
    private final CountDownLatch finished;
    private final ExecutorService afterFailure;
    private int index;
    private long blockEnd;

    Loop(List<LatencyWindow> windows, CountDownLatch finished, ExecutorService afterFailure) {
      this.windows = windows;
      this.finished = finished;
      this.afterFailure = afterFailure;
      this.blockEnd = System.nanoTime() + blockNanos;
    }

    void next() {
      long sent = System.nanoTime();
      if (sent >= windows.get(0).endNanos()) {
        finished.countDown();
        return;
      }
      if (sent - blockEnd >= 0) {
        index = (index + 1) % targets.size();
        blockEnd = sent + blockNanos;
      }
      int target = index;
      targets.get(target).call(status -> completed(target, sent, status));
    }

    private void completed(int target, long sent, Status status) {
      windows.get(target).record(sent, System.nanoTime(), status);
      if (status.isOk()) {
        next();
      } else {
        afterFailure.execute(this::next);
      }
    }
  }
}
