package dev.agora.app.http;

import java.time.Duration;

/**
 * The HTTP requests being answered, and whether the gateway is draining: once it is, new requests
 * are refused and a stop waits ({@link #awaitIdle}) for the ones in flight.
 */
final class InFlightRequests {
  private int count;
  private boolean draining;

  /** Admits a request; false once draining. */
  synchronized boolean begin() {
    if (draining) {
      return false;
    }
    count++;
    return true;
  }

  /** {@code answered} admitted requests were answered (or their connection closed). */
  synchronized void end(int answered) {
    count -= answered;
    if (count <= 0) {
      count = 0;
      notifyAll();
    }
  }

  synchronized void drain() {
    draining = true;
  }

  synchronized boolean draining() {
    return draining;
  }

  synchronized int count() {
    return count;
  }

  /** Waits until no request is in flight or {@code timeout} has passed; true if none is. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
