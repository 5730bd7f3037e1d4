package dev.agora.inference.batching;

/**
 * Runs a task after a delay, e.g. over a {@link java.util.concurrent.ScheduledExecutorService};
 * injected so tests fire delays by advancing a fake clock.
 */
@FunctionalInterface
public interface DelayTimer {

  /**
   * Runs {@code task} once, about {@code delayNanos} from now, on some thread other than the
   * caller's. The task must tolerate running when there is nothing left to do.
   */
  void schedule(Runnable task, long delayNanos);
}
