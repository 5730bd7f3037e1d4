package dev.agora.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventWatch} against a scripted fake EventsService. */
class EventWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The script: one step per Watch call, in order. */
  private final BlockingQueue<BiConsumer<WatchRequest, ServerCallStreamObserver<Event>>> script =
      new LinkedBlockingQueue<>();

  private final List<WatchRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final Recorder handler = new Recorder();
  private Server server;
  private ManagedChannel channel;
  private EventsClient events;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new EventsServiceGrpc.EventsServiceImplBase() {
                  @Override
                  public void watch(WatchRequest request, StreamObserver<Event> responses) {
                    requests.add(request);
                    ServerCallStreamObserver<Event> stream =
                        (ServerCallStreamObserver<Event>) responses;
                    stream.setOnCancelHandler(() -> cancelled.set(true));
                    var step = script.poll();
                    if (step != null) {
                      step.accept(request, stream);
                    }
                  }
                })
            .intercept(
                new ServerInterceptor() {
                  @Override
                  public <Q, R> ServerCall.Listener<Q> interceptCall(
                      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                    String authorization = headers.get(AgoraClient.AUTHORIZATION);
                    authorizations.add(authorization == null ? "" : authorization);
                    return next.startCall(call, headers);
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    events = EventsClient.over(channel);
  }

  @AfterEach
  void stop() throws Exception {
    events.close();
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static Event event(EventType type, long revision) {
    return Event.newBuilder().setType(type).setRevision(revision).setModel("m").build();
  }

  private static StatusRuntimeException refusal(Status.Code code, String reason, String current) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain("agora.dev");
    if (current != null) {
      info.putMetadata("current_revision", current);
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage("scripted " + reason)
            .addDetails(Any.pack(info.build()))
            .build());
  }

  @Test
  void aBrokenStreamResumesAfterTheLastRevisionWithTheSameFilters() {
    script.add(
        (request, stream) -> {
          stream.onNext(event(EventType.EVENT_TYPE_PROGRESS, 5));
          stream.onNext(event(EventType.EVENT_TYPE_MODEL_CREATED, 6));
          stream.onNext(event(EventType.EVENT_TYPE_MODEL_UPDATED, 7));
          stream.onError(refusal(Status.Code.UNAVAILABLE, "STORE_UNAVAILABLE", null));
        });
    script.add((request, stream) -> stream.onNext(event(EventType.EVENT_TYPE_MODEL_UPDATED, 8)));
    WatchRequest request = WatchRequest.newBuilder().addModels("m").build();

    EventWatch watch = events.follow(request, handler);

    await().atMost(WAIT).until(() -> handler.events.size() == 4);
    assertThat(handler.events).extracting(Event::getRevision).containsExactly(5L, 6L, 7L, 8L);
    assertThat(requests).extracting(WatchRequest::getFromRevision).containsExactly(0L, 8L);
    assertThat(requests.get(1).getModelsList()).containsExactly("m");
    assertThat(watch.lastRevision()).isEqualTo(8);
    assertThat(watch.isOpen()).isTrue();
  }

  @Test
  void whenToldToResyncTheHandlerReListsAndTheWatchContinuesAfterTheNamedRevision() {
    script.add(
        (request, stream) ->
            stream.onError(refusal(Status.Code.OUT_OF_RANGE, "RESYNC_REQUIRED", "42")));
    script.add((request, stream) -> stream.onNext(event(EventType.EVENT_TYPE_MODEL_CREATED, 43)));

    EventWatch watch = events.follow(WatchRequest.newBuilder().setFromRevision(3).build(), handler);

    await().atMost(WAIT).until(() -> handler.events.size() == 1);
    assertThat(handler.resyncs).containsExactly(42L);
    assertThat(requests).extracting(WatchRequest::getFromRevision).containsExactly(3L, 43L);
    assertThat(watch.lastRevision()).isEqualTo(43);
  }

  @Test
  void aFailureRetryingCannotFixEndsTheWatch() {
    script.add(
        (request, stream) ->
            stream.onError(refusal(Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", null)));

    EventWatch watch =
        events.follow(WatchRequest.newBuilder().setFromRevision(-1).build(), handler);

    await().atMost(WAIT).until(() -> !handler.failures.isEmpty());
    AgoraClientException failure = handler.failures.get(0);
    assertThat(failure.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.reason().name()).isEqualTo("INVALID_FIELD");
    assertThat(watch.isOpen()).isFalse();
    assertThat(requests).hasSize(1);

    script.add((request, stream) -> stream.onNext(event(EventType.EVENT_TYPE_PROGRESS, 9)));
    events.follow(WatchRequest.getDefaultInstance(), handler);
    await().atMost(WAIT).until(() -> handler.events.size() == 1);
  }

  @Test
  void closingTheWatchCancelsTheStream() {
    script.add((request, stream) -> stream.onNext(event(EventType.EVENT_TYPE_PROGRESS, 1)));
    EventWatch watch = events.follow(WatchRequest.getDefaultInstance(), handler);
    await().atMost(WAIT).until(() -> handler.events.size() == 1);

    watch.close();

    await().atMost(WAIT).untilTrue(cancelled);
    assertThat(watch.isOpen()).isFalse();
    assertThat(handler.failures).isEmpty();
    assertThat(requests).hasSize(1);
  }

  @Test
  void theAgoraClientsFeedCarriesItsKey() throws Exception {
    script.add((request, stream) -> stream.onNext(event(EventType.EVENT_TYPE_PROGRESS, 4)));

    try (AgoraClient client = AgoraClient.over(channel, "agora_key_for_the_test");
        EventsClient feed = client.events()) {
      EventWatch watch = feed.follow(WatchRequest.getDefaultInstance(), handler);
      await().atMost(WAIT).until(() -> handler.events.size() == 1);
      watch.close();
    }

    assertThat(authorizations).containsExactly("Bearer agora_key_for_the_test");
  }

  /** Records what the watch hands its handler. */
  private static final class Recorder implements EventHandler {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<Long> resyncs = new CopyOnWriteArrayList<>();
    final List<AgoraClientException> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(Event event) {
      events.add(event);
    }

    @Override
    public void onResync(long currentRevision) {
      resyncs.add(currentRevision);
    }

    @Override
    public void onFailure(AgoraClientException failure) {
      failures.add(failure);
    }
  }
}
