package dev.agora.registry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.RecordingListener;
import dev.agora.registry.store.WatchEvent;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link EtcdWatch} against a fake jetcd watch client: resumption, deduplication, endings. */
class EtcdWatchTest {
  private static final Event.EventType PUT = Event.EventType.PUT;
  private static final Event.EventType DELETE = Event.EventType.DELETE;

  private final FakeWatchClient client = new FakeWatchClient();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final EtcdWatchSource source =
      new EtcdWatchSource(
          client,
          new EtcdKeys("/ns/"),
          scheduler,
          EtcdConfig.defaults().withRetries(3, Duration.ofMillis(1), Duration.ofMillis(4)));
  private final RecordingListener listener = new RecordingListener();
  private final AtomicInteger ended = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private EtcdWatch watchFrom(long revision, RecordingListener to) {
    EtcdWatch watch =
        new EtcdWatch(
            source,
            "/w/",
            revision,
            to,
            Executors.newSingleThreadExecutor(),
            ended::incrementAndGet);
    watch.start();
    return watch;
  }

  @Test
  void opensFromTheRequestedRevisionOverTheNamespacedPrefix() {
    try (EtcdWatch ignored = watchFrom(5, listener)) {
      FakeWatchClient.Opened opened = client.last();
      assertThat(opened.key().toString(UTF_8)).isEqualTo("/ns//w/");
      assertThat(opened.option().getEndKey().orElseThrow().toString(UTF_8)).isEqualTo("/ns//w0");
      assertThat(opened.option().getRevision()).isEqualTo(5);
      assertThat(opened.option().withRequireLeader()).isTrue();
    }
  }

  @Test
  void aBrokenStreamReopensAfterTheLastDeliveredRevisionAndDropsRepeats() {
    try (EtcdWatch watch = watchFrom(5, listener)) {
      FakeWatchClient.Opened first = client.last();
      first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/a", 5L));
      first
          .listener()
          .onNext(FakeWatchClient.response(PUT, "/ns//w/b", 6L, DELETE, "/ns//w/c", 6L));
      first.listener().onError(Status.UNAVAILABLE.withDescription("connection lost").asException());

      await().atMost(5, TimeUnit.SECONDS).until(() -> client.opened().size() == 2);
      FakeWatchClient.Opened second = client.last();
      assertThat(second.option().getRevision()).isEqualTo(7);
      await().atMost(5, TimeUnit.SECONDS).until(() -> first.isClosed());

      first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/late", 8L));
      second.listener().onNext(FakeWatchClient.response(DELETE, "/ns//w/c", 6L));
      second.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/d", 7L));
      await().atMost(5, TimeUnit.SECONDS).until(() -> listener.events().size() >= 4);

      assertThat(listener.events())
          .containsExactly(
              new WatchEvent(WatchEvent.Type.PUT, "/w/a", "v5".getBytes(UTF_8), 5),
              new WatchEvent(WatchEvent.Type.PUT, "/w/b", "v6".getBytes(UTF_8), 6),
              new WatchEvent(WatchEvent.Type.DELETE, "/w/c", new byte[0], 6),
              new WatchEvent(WatchEvent.Type.PUT, "/w/d", "v7".getBytes(UTF_8), 7));
      assertThat(watch.nextRevision()).isEqualTo(8);
      assertThat(listener.errors()).isEmpty();
    }
  }

  private static final Throwable UNAVAILABLE = Status.UNAVAILABLE.asException();

  /** How jetcd reports a watch stream started on a connection that etcd's death is closing. */
  private static final Throwable CLOSED_UNDER_CALL =
      EtcdExceptionFactory.toEtcdException(
          Status.UNKNOWN
              .withDescription("channel closed")
              .withCause(new ClosedChannelException())
              .asException());

  @Test
  void reconnectionKeepsTryingWithABackoffUntilAWatcherHolds() {
    try (EtcdWatch ignored = watchFrom(3, listener)) {
      for (int failure = 1; failure <= 5; failure++) {
        int opened = failure;
        await().atMost(5, TimeUnit.SECONDS).until(() -> client.opened().size() == opened);
        client.last().listener().onError(failure % 2 == 0 ? CLOSED_UNDER_CALL : UNAVAILABLE);
      }
      await().atMost(5, TimeUnit.SECONDS).until(() -> client.opened().size() == 6);
      assertThat(client.opened())
          .allSatisfy(o -> assertThat(o.option().getRevision()).isEqualTo(3));
      client.last().listener().onNext(FakeWatchClient.response(PUT, "/ns//w/x", 3L));
      await().atMost(5, TimeUnit.SECONDS).until(() -> listener.keys().equals(List.of("/w/x")));
    }
    assertThat(source.backoff(0)).isEqualTo(Duration.ofMillis(1));
    assertThat(source.backoff(2)).isEqualTo(Duration.ofMillis(4));
    assertThat(source.backoff(40)).isEqualTo(Duration.ofMillis(4));
  }

  @Test
  void compactionEndsTheWatchWithOnCompacted() {
    try (EtcdWatch ignored = watchFrom(2, listener)) {
      FakeWatchClient.Opened first = client.last();
      first.listener().onError(EtcdExceptionFactory.newCompactedException(9));

      await().atMost(5, TimeUnit.SECONDS).until(() -> listener.compactedAt() == 9);
      await().atMost(5, TimeUnit.SECONDS).until(first::isClosed);
      assertThat(ended).hasValue(1);
      first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/after", 10L));
      assertThat(client.opened()).hasSize(1);
      assertThat(listener.events()).isEmpty();
      assertThat(listener.errors()).isEmpty();
    }
    assertThat(ended).hasValue(1);
  }

  @Test
  void aFailureThatRetryingCannotCureEndsTheWatchWithOnError() {
    try (EtcdWatch ignored = watchFrom(2, listener)) {
      client
          .last()
          .listener()
          .onError(Status.PERMISSION_DENIED.withDescription("no").asException());
      await().atMost(5, TimeUnit.SECONDS).until(() -> !listener.errors().isEmpty());
      assertThat(listener.errors().get(0))
          .isInstanceOfSatisfying(
              AgoraException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE));
      assertThat(client.opened()).hasSize(1);
    }
    RecordingListener healthy = new RecordingListener();
    try (EtcdWatch ignored = watchFrom(4, healthy)) {
      client.last().listener().onNext(FakeWatchClient.response(PUT, "/ns//w/ok", 4L));
      await().atMost(5, TimeUnit.SECONDS).until(() -> healthy.events().size() == 1);
    }
  }

  @Test
  void aListenerThatThrowsEndsTheWatch() {
    AtomicInteger calls = new AtomicInteger();
    RecordingListener failing =
        new RecordingListener() {
          @Override
          public void onEvent(WatchEvent event) {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
          }
        };
    try (EtcdWatch ignored = watchFrom(1, failing)) {
      FakeWatchClient.Opened first = client.last();
      first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/1", 1L, PUT, "/ns//w/2", 1L));
      await().atMost(5, TimeUnit.SECONDS).until(() -> !failing.errors().isEmpty());
      assertThat(failing.errors().get(0)).hasMessage("listener bug");
      await().atMost(5, TimeUnit.SECONDS).until(first::isClosed);
      first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/3", 2L));
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void closingStopsTheWatcherAndDelivery() {
    EtcdWatch watch = watchFrom(1, listener);
    FakeWatchClient.Opened first = client.last();
    first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/1", 1L));
    await().atMost(5, TimeUnit.SECONDS).until(() -> listener.events().size() == 1);

    watch.close();
    watch.close();
    await().atMost(5, TimeUnit.SECONDS).until(first::isClosed);
    first.listener().onNext(FakeWatchClient.response(PUT, "/ns//w/2", 2L));
    first.listener().onError(Status.UNAVAILABLE.asException());
    assertThat(listener.keys()).containsExactly("/w/1");
    assertThat(client.opened()).hasSize(1);
    assertThat(ended).hasValue(1);
  }
}
