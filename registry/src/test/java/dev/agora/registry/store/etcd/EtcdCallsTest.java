package dev.agora.registry.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Retries, deadlines and failure mapping of {@link EtcdCalls}, on a fake clock. */
class EtcdCallsTest {
  private static final Throwable REFUSED =
      Status.UNAVAILABLE
          .withDescription("io exception")
          .withCause(new ConnectException("Connection refused"))
          .asRuntimeException();
  private static final Throwable LOST =
      Status.UNAVAILABLE.withDescription("connection closed").asRuntimeException();
  private static final Throwable CLOSED_UNDER_CALL =
      Status.UNKNOWN
          .withDescription("channel closed")
          .withCause(new ClosedChannelException())
          .asRuntimeException();
  private static final Throwable NO_LEADER =
      Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException();
  private static final Throwable LEADER_CHANGED =
      Status.UNAVAILABLE.withDescription("etcdserver: leader changed").asRuntimeException();
  private static final Throwable TOO_LARGE =
      Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large").asException();
  private static final Throwable DENIED =
      Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied").asException();

  private long now;
  private final List<Duration> pauses = new ArrayList<>();
  private final EtcdConfig config =
      EtcdConfig.defaults()
          .withCallTimeout(Duration.ofSeconds(2))
          .withRetries(5, Duration.ofMillis(100), Duration.ofMillis(300));
  private final EtcdCalls calls =
      new EtcdCalls(
          config,
          () -> now,
          pause -> {
            pauses.add(pause);
            now += pause.toNanos();
          });

  /** Attempts that fail with the given failures in turn, then answer "ok". */
  private static Supplier<CompletableFuture<String>> failing(Throwable... failures) {
    Deque<Throwable> left = new ArrayDeque<>(List.of(failures));
    return () ->
        left.isEmpty()
            ? CompletableFuture.completedFuture("ok")
            : CompletableFuture.failedFuture(left.poll());
  }

  @Test
  void aReadRetriesTransientFailuresWithADoublingCappedBackoff() {
    assertThat(
            calls.run(
                "read",
                EtcdCalls.Kind.READ,
                failing(LOST, LEADER_CHANGED, REFUSED, CLOSED_UNDER_CALL)))
        .isEqualTo("ok");
    assertThat(pauses)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofMillis(300));
  }

  @Test
  void retriesAreBoundedByMaxAttempts() {
    assertThatThrownBy(
            () -> calls.run("read", EtcdCalls.Kind.READ, failing(LOST, LOST, LOST, LOST, LOST)))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
              assertThat(e.retryDelay()).contains(Duration.ofMillis(300));
              assertThat(e.getMessage()).contains("gave up after 5 attempts", "connection closed");
            });
    assertThat(pauses).hasSize(4);
    assertThat(calls.run("read", EtcdCalls.Kind.READ, failing())).isEqualTo("ok");
  }

  @Test
  void retriesStopBeforeTheCallDeadline() {
    EtcdCalls slow =
        new EtcdCalls(
            config.withRetries(100, Duration.ofMillis(400), Duration.ofMillis(800)),
            () -> now,
            pause -> {
              pauses.add(pause);
              now += pause.toNanos();
            });
    Throwable[] many = new Throwable[50];
    java.util.Arrays.fill(many, LOST);
    assertThatThrownBy(() -> slow.run("read", EtcdCalls.Kind.READ, failing(many)))
        .isInstanceOf(AgoraException.class);
    long waited = pauses.stream().mapToLong(Duration::toMillis).sum();
    assertThat(waited).isLessThanOrEqualTo(2000);
    assertThat(pauses).containsExactly(Duration.ofMillis(400), Duration.ofMillis(800));
  }

  @Test
  void aWriteRetriesOnlyFailuresThatProveItWasNotApplied() {
    assertThat(calls.run("transaction", EtcdCalls.Kind.WRITE, failing(REFUSED, NO_LEADER)))
        .isEqualTo("ok");
    assertThat(pauses).hasSize(2);

    for (Throwable unknownOutcome : List.of(LOST, CLOSED_UNDER_CALL)) {
      assertThatThrownBy(
              () -> calls.run("transaction", EtcdCalls.Kind.WRITE, failing(unknownOutcome)))
          .isInstanceOfSatisfying(
              AgoraException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
                assertThat(e.getMessage()).contains("may or may not have been applied");
              });
    }
    assertThat(pauses).hasSize(2);
  }

  @Test
  void anAttemptPastItsDeadlineLeavesAWritesOutcomeUnknown() {
    Throwable expired = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded").asException();
    assertThatThrownBy(() -> calls.run("transaction", EtcdCalls.Kind.WRITE, failing(expired)))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
              assertThat(e.getMessage()).contains("did not answer within PT2S", "may or may not");
            });
    assertThat(pauses).isEmpty();
  }

  @Test
  void etcdsSizeRefusalIsALimitAndIsNotRetried() {
    assertThatThrownBy(() -> calls.run("transaction", EtcdCalls.Kind.WRITE, failing(TOO_LARGE)))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
              assertThat(e.getMessage()).contains("request is too large");
            });
    assertThat(pauses).isEmpty();
  }

  @Test
  void aFailureRetryingCannotCureIsUnavailableAtOnce() {
    assertThatThrownBy(() -> calls.run("read", EtcdCalls.Kind.READ, failing(DENIED)))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
              assertThat(e.getMessage()).contains("permission denied");
              assertThat(e.getCause()).isSameAs(DENIED);
            });
    assertThat(pauses).isEmpty();
  }

  @Test
  void anAttemptThatNeverAnswersEndsAtTheDeadline() {
    EtcdCalls real = EtcdCalls.system(config.withCallTimeout(Duration.ofMillis(200)));
    CompletableFuture<String> never = new CompletableFuture<>();
    assertThatThrownBy(() -> real.run("read", EtcdCalls.Kind.READ, () -> never))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE);
              assertThat(e.getMessage()).contains("did not answer within PT0.2S");
            });
    assertThat(never).isCancelled();
  }
}
