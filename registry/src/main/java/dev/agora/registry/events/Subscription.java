package dev.agora.registry.events;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch: a cursor into the {@link EventLog} that a delivery task advances while the
 * client's stream is ready (gRPC flow control), never on the store's thread. Signals coalesce, so
 * at most one delivery runs per watch and the stream sees its messages in order.
 */
final class Subscription {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);
  private static final int READ_BATCH = 64;

  private final long startRevision;
  private final EventFilter filter;
  private final String callerKeyId;
  private final ServerCallStreamObserver<Event> stream;
  private final EventLog events;
  private final int retainedEvents;
  private final long epoch;
  private final Executor executor;
  private final Consumer<Subscription> onEnd;
  private final AtomicInteger pendingSignals = new AtomicInteger();
  private final AtomicBoolean progressDue = new AtomicBoolean();
  private volatile boolean cancelled;
  private boolean ended;
  private boolean greeted;
  private boolean sentSinceProgress;
  private long cursor;

  Subscription(
      long startRevision,
      EventFilter filter,
      String callerKeyId,
      ServerCallStreamObserver<Event> stream,
      EventLog events,
      EventLog.Position position,
      int retainedEvents,
      Executor executor,
      Consumer<Subscription> onEnd) {
    this.startRevision = startRevision;
    this.filter = filter;
    this.callerKeyId = callerKeyId;
    this.stream = stream;
    this.events = events;
    this.retainedEvents = retainedEvents;
    this.epoch = position.epoch();
    this.cursor = position.seq();
    this.executor = executor;
    this.onEnd = onEnd;
    stream.setOnReadyHandler(this::signal);
    stream.setOnCancelHandler(this::cancel);
  }

  /** Asks for a delivery pass; cheap, never blocks. */
  void signal() {
    if (pendingSignals.getAndIncrement() != 0) {
      return;
    }
    try {
      executor.execute(this::deliverWhileSignalled);
    } catch (RejectedExecutionException e) {
      // The feed closed its delivery pool; no delivery runs now, so the stream is ours to end.
      if (!ended && !cancelled) {
        end(WatchRefusals.closed(events.seenRevision()));
      }
    }
  }

  /** Asks for a PROGRESS event once the watch is caught up, unless it sent events meanwhile. */
  void progressDue() {
    progressDue.set(true);
    signal();
  }

  private void cancel() {
    cancelled = true;
    onEnd.accept(this);
  }

  private void deliverWhileSignalled() {
    int missed = 1;
    do {
      try {
        deliver();
      } catch (RuntimeException e) {
        failed(e);
      }
      missed = pendingSignals.addAndGet(-missed);
    } while (missed != 0);
  }

  private void deliver() {
    if (ended || cancelled) {
      return;
    }
    if (!greeted) {
      if (!stream.isReady()) {
        return;
      }
      send(progress(startRevision - 1));
      greeted = true;
    }
    EventLog.Read read;
    do {
      read = events.read(epoch, cursor, READ_BATCH);
      if (read.outcome() != EventLog.Outcome.EVENTS) {
        end(refusal(read));
        return;
      }
      if (!sendReady(read)) {
        return;
      }
    } while (cursor < read.headSeq());
    if (progressDue.get() && stream.isReady()) {
      progressDue.set(false);
      if (!sentSinceProgress) {
        send(progress(Math.max(startRevision - 1, read.completeRevision())));
      }
      sentSinceProgress = false;
    }
  }

  /** Sends what the read found while the stream is ready; false when it stopped early. */
  private boolean sendReady(EventLog.Read read) {
    for (Event event : read.events()) {
      if (revokesCaller(event)) {
        end(WatchRefusals.keyRevoked(callerKeyId));
        return false;
      }
      boolean wanted = event.getRevision() >= startRevision && filter.matches(event);
      if (wanted && !stream.isReady()) {
        return false;
      }
      cursor++;
      if (wanted) {
        send(event);
        sentSinceProgress = true;
      }
    }
    return true;
  }

  /** Whether the event revokes the key this watch was opened with: then the watch ends. */
  private boolean revokesCaller(Event event) {
    return event.getType() == EventType.EVENT_TYPE_KEY_REVOKED
        && !callerKeyId.isEmpty()
        && callerKeyId.equals(event.getKeyId());
  }

  private void send(Event event) {
    stream.onNext(event);
  }

  private Event progress(long revision) {
    return Event.newBuilder()
        .setType(EventType.EVENT_TYPE_PROGRESS)
        .setRevision(Math.max(0, revision))
        .build();
  }

  private AgoraException refusal(EventLog.Read read) {
    return switch (read.outcome()) {
      case FELL_BEHIND ->
          WatchRefusals.slowConsumer(read.seenRevision(), read.floorRevision(), retainedEvents);
      case RESTARTED -> WatchRefusals.restarted(read.seenRevision(), read.floorRevision());
      case UNAVAILABLE -> WatchRefusals.unavailable();
      case CLOSED, EVENTS -> WatchRefusals.closed(read.seenRevision());
    };
  }

  private void end(AgoraException failure) {
    ended = true;
    onEnd.accept(this);
    stream.onError(ErrorStatus.toStatusException(failure));
  }

  /** Writing to the stream failed: end the watch, telling the client if it is still there. */
  private void failed(RuntimeException failure) {
    ended = true;
    onEnd.accept(this);
    if (!cancelled) {
      try {
        stream.onError(ErrorStatus.toStatusException(failure));
      } catch (RuntimeException again) {
        log.debug("could not end a failed change feed stream", again);
      }
    }
  }
}
