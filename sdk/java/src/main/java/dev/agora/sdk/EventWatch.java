package dev.agora.sdk;

import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One followed change feed. It watches again from the last revision it delivered plus one when the
 * stream breaks (UNAVAILABLE, or the server ending the stream), waiting a little longer after each
 * failure in a row; it calls {@link EventHandler#onResync} and continues from the revision the
 * registry names when told to re-list; any other failure ends it. Close it to stop.
 */
public final class EventWatch implements AutoCloseable {
  static final Duration FIRST_RETRY = Duration.ofMillis(100);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);

  private final EventsServiceGrpc.EventsServiceStub stub;
  private final WatchRequest request;
  private final EventHandler handler;
  private final ScheduledExecutorService retries;
  private final Object lock = new Object();
  private volatile long lastRevision = -1;
  private int failuresInARow;
  private boolean closed;
  private ClientCallStreamObserver<WatchRequest> call;
  private ScheduledFuture<?> pendingRetry;

  EventWatch(
      EventsServiceGrpc.EventsServiceStub stub,
      WatchRequest request,
      EventHandler handler,
      ScheduledExecutorService retries) {
    this.stub = stub;
    this.request = request;
    this.handler = handler;
    this.retries = retries;
  }

  /** The revision of the last event delivered, or -1 before the first. */
  public long lastRevision() {
    return lastRevision;
  }

  /** Whether the watch still follows the feed (not closed, not ended by a failure). */
  public boolean isOpen() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** Stops following: cancels the stream and any pending retry. Closing twice is harmless. */
  @Override
  public void close() {
    ClientCallStreamObserver<WatchRequest> open;
    synchronized (lock) {
      closed = true;
      open = call;
      if (pendingRetry != null) {
        pendingRetry.cancel(false);
      }
    }
    if (open != null) {
      open.cancel("the client closed the watch", null);
    }
  }

  void start(long fromRevision) {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    stub.watch(request.toBuilder().setFromRevision(fromRevision).build(), new Stream());
  }

  private long resumeRevision() {
    return lastRevision >= 0 ? lastRevision + 1 : request.getFromRevision();
  }

  private void failed(Throwable failure) {
    StatusRuntimeException status =
        failure instanceof StatusRuntimeException sre
            ? sre
            : Status.fromThrowable(failure)
                .asRuntimeException(Status.trailersFromThrowable(failure));
    AgoraClientException refused = AgoraClientException.from(status);
    if (refused.reason() == ErrorReason.RESYNC_REQUIRED) {
      long current = Long.parseLong(refused.metadata().getOrDefault("current_revision", "0"));
      handler.onResync(current);
      lastRevision = current;
      start(current + 1);
    } else if (refused.code() == Status.Code.UNAVAILABLE) {
      retryLater();
    } else {
      synchronized (lock) {
        closed = true;
      }
      handler.onFailure(refused);
    }
  }

  private void retryLater() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      long delay =
          Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failuresInARow++, 16));
      try {
        pendingRetry =
            retries.schedule(() -> start(resumeRevision()), delay, TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException e) {
        closed = true;
      }
    }
    handler.onFailure(
        new AgoraClientException(
            Status.Code.CANCELLED,
            ErrorReason.ERROR_REASON_UNSPECIFIED,
            "the events client was closed, so the watch cannot resume",
            null));
  }

  /** One Watch call. */
  private final class Stream implements ClientResponseObserver<WatchRequest, Event> {

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      boolean cancel;
      synchronized (lock) {
        call = requestStream;
        cancel = closed;
      }
      if (cancel) {
        requestStream.cancel("the client closed the watch", null);
      }
    }

    @Override
    public void onNext(Event event) {
      synchronized (lock) {
        failuresInARow = 0;
      }
      lastRevision = event.getRevision();
      handler.onEvent(event);
    }

    @Override
    public void onError(Throwable failure) {
      if (isOpen()) {
        failed(failure);
      }
    }

    @Override
    public void onCompleted() {
      if (isOpen()) {
        retryLater();
      }
    }
  }
}
