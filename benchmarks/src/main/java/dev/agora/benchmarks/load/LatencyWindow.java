package dev.agora.benchmarks.load;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The measured part of a run, {@code [startNanos, endNanos)}, after a warm-up that is not counted.
 * A call counts when its <em>start</em> falls inside the window: in an open loop that is the
 * intended start from the {@link RequestSchedule}, so its latency includes any time it waited to be
 * sent (coordinated omission corrected); in a closed loop it is when the call was sent. Throughput
 * counts successful calls that <em>completed</em> inside the window, so a server that falls behind
 * an open-loop schedule shows a lower rate than asked for. Safe to record from many threads.
 */
final class LatencyWindow {
  /** Longest latency the histogram holds; longer ones are clamped to it. */
  static final long HIGHEST_TRACKABLE_NANOS = 120_000_000_000L;

  private final long startNanos;
  private final long endNanos;
  private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private final LongAdder completedInWindow = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();

  LatencyWindow(long startNanos, long endNanos) {
    if (endNanos <= startNanos) {
      throw new IllegalArgumentException("the window ends before it starts");
    }
    this.startNanos = startNanos;
    this.endNanos = endNanos;
  }

  long startNanos() {
    return startNanos;
  }

  long endNanos() {
    return endNanos;
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  /** Whether a call that started (or was meant to start) at {@code startedNanos} is measured. */
  boolean counts(long startedNanos) {
    return startedNanos >= startNanos && startedNanos < endNanos;
  }

  /**
   * Records one finished call.
   *
   * @param startedNanos the intended start (open loop) or the send time (closed loop)
   * @param completedNanos when its answer arrived
   * @param status its status; anything but OK is an error and has no latency
   */
  void record(long startedNanos, long completedNanos, Status status) {
    boolean ok = status.isOk();
    if (ok && completedNanos >= startNanos && completedNanos < endNanos) {
      completedInWindow.increment();
    }
    if (!counts(startedNanos)) {
      return;
    }
    if (ok) {
      recorder.recordValue(
          Math.min(Math.max(completedNanos - startedNanos, 0), HIGHEST_TRACKABLE_NANOS));
    } else {
      errors.increment();
      errorsByCode.computeIfAbsent(status.getCode().name(), code -> new LongAdder()).increment();
    }
  }

  /** Latencies recorded so far (nanoseconds); call once, after the run. */
  Histogram histogram() {
    return recorder.getIntervalHistogram();
  }

  /** Successful calls that completed inside the window, per second of window. */
  double achievedRate() {
    return completedInWindow.sum() / seconds();
  }

  long errors() {
    return errors.sum();
  }

  Map<String, Long> errorsByCode() {
    Map<String, Long> counts = new TreeMap<>();
    errorsByCode.forEach((code, count) -> counts.put(code, count.sum()));
    return counts;
  }
}
