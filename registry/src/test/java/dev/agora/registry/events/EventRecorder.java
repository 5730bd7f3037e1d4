package dev.agora.registry.events;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of one Watch call that records what arrives. With {@code initialRequests} >= 0 it
 * requests only that many messages (manual flow control), playing a client that stopped reading.
 */
final class EventRecorder implements ClientResponseObserver<WatchRequest, Event> {
  private final int initialRequests;
  private final List<Event> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean completed;
  private volatile ClientCallStreamObserver<WatchRequest> call;

  EventRecorder(int initialRequests) {
    this.initialRequests = initialRequests;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
    this.call = requestStream;
    if (initialRequests >= 0) {
      requestStream.disableAutoRequestWithInitial(initialRequests);
    }
  }

  @Override
  public void onNext(Event event) {
    received.add(event);
  }

  @Override
  public void onError(Throwable t) {
    failure.set(t);
  }

  @Override
  public void onCompleted() {
    completed = true;
  }

  /** Everything received, PROGRESS included. */
  List<Event> all() {
    return List.copyOf(received);
  }

  /** Every event except PROGRESS. */
  List<Event> changes() {
    return received.stream().filter(e -> e.getType() != EventType.EVENT_TYPE_PROGRESS).toList();
  }

  List<EventType> changeTypes() {
    return changes().stream().map(Event::getType).toList();
  }

  boolean ended() {
    return failure.get() != null || completed;
  }

  StatusRuntimeException failure() {
    Throwable t = failure.get();
    if (t instanceof StatusRuntimeException status) {
      return status;
    }
    throw new AssertionError("the watch did not fail with a status", t);
  }

  /** The failure's ErrorInfo. */
  ErrorInfo errorInfo() {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure());
    if (status == null) {
      throw new AssertionError("no status details on " + failure());
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no ErrorInfo on " + failure());
  }

  void request(int messages) {
    call.request(messages);
  }

  void cancel() {
    call.cancel("the test is done with this watch", null);
  }
}
