package dev.agora.registry.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link InstantSource} that tests move by hand. */
final class MutableClock implements InstantSource {
  private final AtomicReference<Instant> now;

  MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  Instant advance(Duration step) {
    return now.updateAndGet(current -> current.plus(step));
  }
}
