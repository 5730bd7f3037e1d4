package dev.agora.registry.events;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * {@code agora.registry.v1.EventsService}: the change feed as a server-streaming call. A watch
 * opened with an API key ends when that key is revoked; authentication and the {@code
 * registry:read} scope are checked in front of it, like every registry call.
 */
public final class EventsService extends EventsServiceGrpc.EventsServiceImplBase {
  private final ChangeFeed feed;

  /** A service streaming {@code feed}. */
  public EventsService(ChangeFeed feed) {
    this.feed = feed;
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<Event> responses) {
    try {
      if (request.getFromRevision() < 0) {
        throw AgoraException.invalidField(
            "from_revision",
            "must be 0 (changes after now) or a revision to resume from, got "
                + request.getFromRevision());
      }
      EventFilter filter = EventFilter.of(request);
      String keyId = CallerContext.current().map(Caller::keyId).orElse("");
      feed.subscribe(
          request.getFromRevision(), filter, keyId, (ServerCallStreamObserver<Event>) responses);
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
    }
  }
}
