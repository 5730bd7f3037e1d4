package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed's own store watch: one per feed, released on close, re-established after loss. */
class ChangeFeedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;
  private CountingStore store;
  private ChangeFeed feed;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    store = new CountingStore(EmbeddedMetadataStore.open(dataDir));
    feed = ChangeFeed.start(store, EventsConfig.defaults());
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new EventsService(feed), new ErrorMappingInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    feed.close();
    store.close();
  }

  private EventRecorder watchFrom(long revision) {
    EventRecorder recorder = new EventRecorder(-1);
    EventsServiceGrpc.newStub(channel)
        .watch(WatchRequest.newBuilder().setFromRevision(revision).build(), recorder);
    return recorder;
  }

  private long createModel(String name) {
    String key = CatalogKeys.model(name);
    return store
        .commit(
            Txn.builder()
                .ifAbsent(key)
                .put(key, Model.newBuilder().setName(name).build().toByteArray())
                .build())
        .revision();
  }

  @Test
  void oneStoreWatchServesEveryClientAndCloseReleasesIt() {
    List<EventRecorder> watches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      watches.add(watchFrom(0));
    }
    await().atMost(WAIT).until(() -> feed.activeWatches() == 5);
    long revision = createModel("shared");

    await().atMost(WAIT).until(() -> watches.stream().allMatch(w -> w.changes().size() == 1));
    assertThat(watches)
        .allSatisfy(w -> assertThat(w.changes().get(0).getRevision()).isEqualTo(revision));
    assertThat(store.openWatches()).isEqualTo(1);

    feed.close();

    assertThat(store.openWatches()).isZero();
    await().atMost(WAIT).until(() -> watches.stream().allMatch(EventRecorder::ended));
    assertThat(feed.activeWatches()).isZero();
  }

  @Test
  void whenTheStoreDropsTheFeedsHistoryWatchersResyncAndTheFeedCarriesOn() {
    long first = createModel("before-loss");
    EventRecorder watch = watchFrom(first);
    await().atMost(WAIT).until(() -> watch.changes().size() == 1);

    store.compactAway();

    await().atMost(WAIT).until(watch::ended);
    assertThat(watch.failure().getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(watch.errorInfo().getMetadataMap())
        .containsEntry("cause", "restarted")
        .containsEntry("current_revision", Long.toString(store.currentRevision()));
    assertThat(store.openedWatches()).isEqualTo(2);
    assertThat(store.openWatches()).isEqualTo(1);
    EventRecorder tooOld = watchFrom(first);
    await().atMost(WAIT).until(tooOld::ended);
    assertThat(tooOld.errorInfo().getReason()).isEqualTo("RESYNC_REQUIRED");

    EventRecorder resumed = watchFrom(store.currentRevision() + 1);
    long next = createModel("after-loss");
    await().atMost(WAIT).until(() -> resumed.changes().size() == 1);
    assertThat(resumed.changes()).extracting(Event::getRevision).containsExactly(next);
  }

  @Test
  void whileTheStoreIsUnreachableWatchesAreUnavailableUntilTheFeedRecovers() {
    EventRecorder watch = watchFrom(0);
    await().atMost(WAIT).until(() -> watch.all().size() == 1);
    store.failRanges(true);

    store.compactAway();

    await().atMost(WAIT).until(watch::ended);
    assertThat(watch.failure().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(watch.errorInfo().getReason()).isEqualTo("STORE_UNAVAILABLE");
    EventRecorder meanwhile = watchFrom(0);
    await().atMost(WAIT).until(meanwhile::ended);
    assertThat(meanwhile.failure().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    store.failRanges(false);

    await().atMost(WAIT).until(() -> store.openWatches() == 1);
    EventRecorder recovered = watchFrom(0);
    await().atMost(WAIT).until(() -> recovered.all().size() == 1);
    long next = createModel("recovered");
    await().atMost(WAIT).until(() -> recovered.changes().size() == 1);
    assertThat(recovered.changes().get(0).getRevision()).isEqualTo(next);
  }
}
