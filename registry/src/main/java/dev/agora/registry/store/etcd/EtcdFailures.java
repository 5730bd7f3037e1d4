package dev.agora.registry.store.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What an etcd failure means for the caller: whether another attempt may succeed, whether the
 * request can have reached etcd, and whether etcd refused it for its size. jetcd reports failures
 * either as its own {@link EtcdException} or as gRPC status exceptions; both are read here.
 */
final class EtcdFailures {
  /** etcd's answers that a request was refused before it was proposed; safe to send again. */
  private static final Set<String> NOT_PROPOSED =
      Set.of(
          "etcdserver: no leader",
          "etcdserver: leader changed",
          "etcdserver: too many requests",
          "etcdserver: not capable");

  /** etcd's answers for a request over its limits. */
  private static final Set<String> TOO_LARGE =
      Set.of("etcdserver: request is too large", "etcdserver: too many operations in txn request");

  private EtcdFailures() {}

  /** The failure itself, without the wrappers futures add. */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** The gRPC status code of the failure; UNKNOWN for anything that is not an etcd failure. */
  static Status.Code code(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof EtcdException etcd) {
      return Status.Code.valueOf(etcd.getErrorCode().name());
    }
    return Status.fromThrowable(cause).getCode();
  }

  /** etcd's own sentence, or the failure's message. */
  static String description(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof EtcdException) {
      return String.valueOf(cause.getMessage());
    }
    Status status = Status.fromThrowable(cause);
    return status.getDescription() != null ? status.getDescription() : String.valueOf(cause);
  }

  /**
   * Whether another attempt may succeed: the member was unreachable, leaderless or busy, or the
   * connection closed under the call.
   */
  static boolean isTransient(Throwable failure) {
    Status.Code code = code(failure);
    return code == Status.Code.UNAVAILABLE
        || isConnectionClosed(failure)
        || (code == Status.Code.RESOURCE_EXHAUSTED && NOT_PROPOSED.contains(description(failure)));
  }

  /**
   * Whether the connection to etcd closed under the call. gRPC reports a stream started on a
   * connection that is closing (etcd just died) as {@code UNKNOWN: channel closed}, not as {@code
   * UNAVAILABLE}; only the {@link ClosedChannelException} it carries says what happened.
   */
  private static boolean isConnectionClosed(Throwable failure) {
    return hasCause(failure, ClosedChannelException.class);
  }

  /** Whether the failure, or anything it was caused by, is a {@code type}. */
  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a watch stream broke in a way that reopening it may cure: a transient failure, or a
   * stream reset by the transport ({@code INTERNAL}).
   */
  static boolean isStreamInterrupted(Throwable failure) {
    return isTransient(failure) || code(failure) == Status.Code.INTERNAL;
  }

  /**
   * Whether a transient failure proves that etcd never applied the request: the connection was
   * refused, or etcd answered that it did not propose it. Other failures (a connection lost while
   * waiting, "request timed out") leave a write's outcome unknown.
   */
  static boolean provesNotApplied(Throwable failure) {
    return NOT_PROPOSED.contains(description(failure)) || hasCause(failure, ConnectException.class);
  }

  /** Whether etcd refused the request as larger than its limits. */
  static boolean isTooLarge(Throwable failure) {
    Status.Code code = code(failure);
    return TOO_LARGE.contains(description(failure))
        || (code == Status.Code.RESOURCE_EXHAUSTED && !isTransient(failure));
  }

  /** Whether the failure says that the revision asked for was compacted away. */
  static boolean isCompacted(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof CompactedException
        || description(failure).contains("required revision has been compacted");
  }

  /** The compaction point a cancelled watch reports. */
  static long compactedRevision(Throwable failure) {
    return unwrap(failure) instanceof CompactedException compacted
        ? compacted.getCompactedRevision()
        : 0;
  }

  /** Whether the failure says that the revision asked for is in the future. */
  static boolean isFutureRevision(Throwable failure) {
    return description(failure).contains("required revision is a future revision");
  }
}
