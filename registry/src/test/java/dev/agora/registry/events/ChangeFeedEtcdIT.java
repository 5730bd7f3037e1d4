package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.registry.store.etcd.EtcdMetadataStore;
import dev.agora.testing.etcd.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change feed on real etcd, as two registry replicas sharing it: each replica's feed derives
 * the same typed events with etcd's revisions, so a follower can resume on either.
 */
class ChangeFeedEtcdIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private final Replica first = new Replica();
  private final Replica second = new Replica();

  @BeforeEach
  void start() throws Exception {
    EtcdConfig config =
        EtcdConfig.defaults()
            .withEndpoints(List.of(etcd.endpoint()))
            .withNamespace("/test-" + UUID.randomUUID() + "/");
    first.start(config);
    second.start(config);
  }

  @AfterEach
  void stop() throws Exception {
    first.close();
    second.close();
  }

  @Test
  void bothReplicasStreamTheSameTypedEventsAndEitherCanResume() {
    EventRecorder follower = first.watch(0);
    await().atMost(WAIT).until(() -> !follower.all().isEmpty());

    Model model = Model.newBuilder().setName("fraud").build();
    long created = first.write(Txn.builder().put(CatalogKeys.model("fraud"), model.toByteArray()));
    ModelVersion draft =
        ModelVersion.newBuilder()
            .setModel("fraud")
            .setVersion("1.0.0")
            .setStage(Stage.STAGE_DRAFT)
            .build();
    String versionKey = CatalogKeys.version("fraud", "1.0.0");
    long uploaded = second.write(Txn.builder().put(versionKey, draft.toByteArray()));
    long published =
        first.write(
            Txn.builder()
                .put(
                    versionKey,
                    draft.toBuilder().setStage(Stage.STAGE_PUBLISHED).build().toByteArray())
                .put(
                    CatalogKeys.model("fraud"),
                    model.toBuilder().setLatestPublishedVersion("1.0.0").build().toByteArray()));

    await().atMost(WAIT).until(() -> follower.changes().size() == 4);
    List<Event> events = follower.changes();
    assertThat(events)
        .extracting(Event::getType, Event::getRevision)
        .containsExactly(
            Tuple.tuple(EventType.EVENT_TYPE_MODEL_CREATED, created),
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_UPLOADED, uploaded),
            Tuple.tuple(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED, published),
            Tuple.tuple(EventType.EVENT_TYPE_MODEL_UPDATED, published));
    assertThat(events.get(2).getFromStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(events.get(2).getToStage()).isEqualTo(Stage.STAGE_PUBLISHED);

    EventRecorder resumedElsewhere = second.watch(uploaded);
    await().atMost(WAIT).until(() -> resumedElsewhere.changes().size() == 3);
    assertThat(resumedElsewhere.changes()).isEqualTo(events.subList(1, 4));
  }

  /** One registry replica: its own store connection, change feed and EventsService. */
  private static final class Replica implements AutoCloseable {
    private MetadataStore store;
    private ChangeFeed feed;
    private Server server;
    private ManagedChannel channel;

    void start(EtcdConfig config) throws Exception {
      store = EtcdMetadataStore.connect(config);
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

    EventRecorder watch(long fromRevision) {
      EventRecorder recorder = new EventRecorder(-1);
      EventsServiceGrpc.newStub(channel)
          .watch(WatchRequest.newBuilder().setFromRevision(fromRevision).build(), recorder);
      return recorder;
    }

    long write(Txn.Builder txn) {
      return store.commit(txn.build()).revision();
    }

    @Override
    public void close() throws Exception {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        feed.close();
        store.close();
      }
    }
  }
}
