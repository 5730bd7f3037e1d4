package dev.agora.registry.store.etcd;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs one store call against etcd: attempts until one succeeds, a failure is not worth retrying,
 * {@link EtcdConfig#maxAttempts()} attempts were made, or {@link EtcdConfig#callTimeout()} has
 * passed, pausing between attempts with a doubling backoff. Reads retry every transient failure;
 * writes retry only failures that prove the write was not applied, because sending an applied write
 * again would report a compare failure for the caller's own change. Failures leave as {@link
 * AgoraException}: {@code STORE_UNAVAILABLE} with a retry delay, or {@code LIMIT_EXCEEDED} when
 * etcd refused the request's size.
 */
final class EtcdCalls {
  /** Pauses the calling thread between attempts; replaced in tests. */
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /** Whether a call may be sent again after a transient failure whose outcome is unknown. */
  enum Kind {
    READ,
    WRITE
  }

  private final EtcdConfig config;
  private final LongSupplier nanoTime;
  private final Pause pause;

  EtcdCalls(EtcdConfig config, LongSupplier nanoTime, Pause pause) {
    this.config = config;
    this.nanoTime = nanoTime;
    this.pause = pause;
  }

  /** Calls against the system clock, pausing with {@link Thread#sleep}. */
  static EtcdCalls system(EtcdConfig config) {
    return new EtcdCalls(config, System::nanoTime, duration -> Thread.sleep(duration.toMillis()));
  }

  /**
   * Runs {@code attempt} until it succeeds or the call gives up.
   *
   * @param what what the call does, for the error sentence ("read", "transaction", ...)
   * @param attempt starts one attempt; called again for each retry
   */
  <T> T run(String what, Kind kind, Supplier<CompletableFuture<T>> attempt) {
    long deadline = nanoTime.getAsLong() + config.callTimeout().toNanos();
    Duration backoff = config.retryBackoff();
    for (int attempts = 1; ; attempts++) {
      Throwable failure;
      try {
        return await(attempt.get(), deadline);
      } catch (ExecutionException e) {
        failure = EtcdFailures.unwrap(e);
      } catch (TimeoutException e) {
        throw unavailable(what, "etcd did not answer within " + config.callTimeout(), kind, e);
      }
      if (EtcdFailures.code(failure) == Status.Code.DEADLINE_EXCEEDED) {
        throw unavailable(
            what, "etcd did not answer within " + config.callTimeout(), kind, failure);
      }
      if (!EtcdFailures.isTransient(failure)) {
        throw refused(what, failure);
      }
      if (kind == Kind.WRITE && !EtcdFailures.provesNotApplied(failure)) {
        throw unavailable(what, EtcdFailures.description(failure), kind, failure);
      }
      long remaining = deadline - nanoTime.getAsLong();
      if (attempts >= config.maxAttempts() || remaining <= backoff.toNanos()) {
        throw unavailable(
            what,
            "gave up after " + attempts + " attempts: " + EtcdFailures.description(failure),
            Kind.READ,
            failure);
      }
      sleep(backoff, what, failure);
      backoff = min(backoff.multipliedBy(2), config.maxRetryBackoff());
    }
  }

  private <T> T await(CompletableFuture<T> future, long deadline)
      throws ExecutionException, TimeoutException {
    try {
      return future.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ExecutionException(e);
    }
  }

  private void sleep(Duration backoff, String what, Throwable failure) {
    try {
      pause.pause(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(what, "interrupted while waiting to retry", Kind.READ, failure);
    }
  }

  private AgoraException refused(String what, Throwable failure) {
    if (EtcdFailures.isTooLarge(failure)) {
      return AgoraException.builder(
              ErrorReason.LIMIT_EXCEEDED,
              "etcd refused the metadata "
                  + what
                  + " as too large: "
                  + EtcdFailures.description(failure))
          .cause(failure)
          .build();
    }
    if (failure instanceof InterruptedException) {
      return unavailable(what, "interrupted", Kind.READ, failure);
    }
    return unavailable(what, EtcdFailures.description(failure), Kind.READ, failure);
  }

  private AgoraException unavailable(String what, String why, Kind kind, Throwable cause) {
    String outcome =
        kind == Kind.WRITE
            ? " The change may or may not have been applied; check before retrying."
            : " Try again.";
    return AgoraException.builder(
            ErrorReason.STORE_UNAVAILABLE,
            "The metadata store (etcd) could not complete a " + what + ": " + why + "." + outcome)
        .retryDelay(config.maxRetryBackoff())
        .cause(cause)
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
