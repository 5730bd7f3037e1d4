package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.ErrorInfo;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches that cannot continue are told to re-list, with the revision to resume after. */
class EventsResyncTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int RETAINED = 8;

  @TempDir Path dataDir;
  private EventsHarness registry;

  private void start() throws Exception {
    registry = EventsHarness.start(dataDir, EventsConfig.defaults().withRetainedEvents(RETAINED));
  }

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private List<Long> createModels(String prefix, int count) {
    List<Long> revisions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Model created = registry.createModel(prefix + "-" + i);
      revisions.add(created.getRevision());
    }
    return revisions;
  }

  private static void assertResync(EventRecorder watch, String cause, long currentRevision) {
    assertThat(resyncRevision(watch, cause)).isEqualTo(currentRevision);
  }

  /** Checks that the watch ended with RESYNC_REQUIRED for {@code cause}; its current revision. */
  private static long resyncRevision(EventRecorder watch, String cause) {
    await().atMost(WAIT).until(watch::ended);
    assertThat(watch.failure().getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    ErrorInfo info = watch.errorInfo();
    assertThat(info.getReason()).isEqualTo("RESYNC_REQUIRED");
    assertThat(info.getMetadataMap()).containsEntry("cause", cause);
    long current = Long.parseLong(info.getMetadataOrThrow("current_revision"));
    assertThat(watch.failure().getStatus().getDescription())
        .contains("watch from revision " + (current + 1));
    return current;
  }

  /** A watch from {@code revision} receives the next model created. */
  private void assertWatchWorksFrom(long revision, String model) {
    EventRecorder watch = registry.watchFrom(revision);
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());
    registry.createModel(model);
    await().atMost(WAIT).until(() -> !watch.changes().isEmpty());
    assertThat(watch.changes().get(watch.changes().size() - 1).getModel()).isEqualTo(model);
    assertThat(watch.ended()).isFalse();
    watch.cancel();
  }

  @Test
  void aRevisionOlderThanTheFeedHoldsIsToldToResync() throws Exception {
    start();
    List<Long> revisions = createModels("m", RETAINED + 2);
    long current = registry.store().currentRevision();
    // The feed applies store changes asynchronously; until it has seen them all, revision 1 may
    // still be held and the watch would instead fall behind later (a slow_consumer resync).
    await().atMost(WAIT).until(() -> registry.feed().revision() >= current);

    EventRecorder tooOld = registry.watchFrom(revisions.get(1));

    assertResync(tooOld, "compacted", current);
    assertThat(tooOld.errorInfo().getMetadataMap())
        .containsEntry("oldest_revision", Long.toString(revisions.get(2)));
    EventRecorder oldestHeld = registry.watchFrom(revisions.get(2));
    await().atMost(WAIT).until(() -> oldestHeld.changes().size() == RETAINED);
    assertThat(oldestHeld.changes())
        .extracting(Event::getRevision)
        .isEqualTo(revisions.subList(2, revisions.size()));
    assertWatchWorksFrom(current + 1, "after-resync");
  }

  @Test
  void afterARestartRevisionsBeforeItAreToldToResync() throws Exception {
    start();
    long firstModel = createModels("before", 2).get(0);
    registry = registry.restart(dataDir, EventsConfig.defaults().withRetainedEvents(RETAINED));
    long current = registry.store().currentRevision();

    EventRecorder fromBeforeTheRestart = registry.watchFrom(firstModel);

    assertResync(fromBeforeTheRestart, "compacted", current);
    assertWatchWorksFrom(current + 1, "after-restart");
  }

  @Test
  void aSlowWatchIsToldToResyncWhileAFastOneKeepsGoing() throws Exception {
    start();
    EventRecorder slow = registry.watch(WatchRequest.getDefaultInstance(), 1);
    EventRecorder fast = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> slow.all().size() == 1 && fast.all().size() == 1);

    List<Long> revisions = createModels("burst", RETAINED + 4);

    long current = resyncRevision(slow, "slow_consumer");
    assertThat(current).isBetween(revisions.get(RETAINED), revisions.get(revisions.size() - 1));
    assertThat(slow.changes()).isEmpty();
    await().atMost(WAIT).until(() -> fast.changes().size() == revisions.size());
    assertThat(fast.changes()).extracting(Event::getRevision).isEqualTo(revisions);
    assertThat(fast.ended()).isFalse();
    registry.createModel("one-more");
    await().atMost(WAIT).until(() -> fast.changes().size() == revisions.size() + 1);
    assertThat(registry.feed().activeWatches()).isEqualTo(1);
  }

  @Test
  void aSlowWatchWithinTheBufferCatchesUpWhenItReadsAgain() throws Exception {
    start();
    EventRecorder slow = registry.watch(WatchRequest.getDefaultInstance(), 1);
    await().atMost(WAIT).until(() -> slow.all().size() == 1);
    List<Long> revisions = createModels("small-burst", RETAINED - 1);

    slow.request(Integer.MAX_VALUE);

    await().atMost(WAIT).until(() -> slow.changes().size() == revisions.size());
    assertThat(slow.changes()).extracting(Event::getRevision).isEqualTo(revisions);
    assertThat(slow.ended()).isFalse();
  }

  @Test
  void cancelledWatchesAreReleased() throws Exception {
    start();
    List<EventRecorder> watches = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      watches.add(registry.watchFrom(0));
    }
    await().atMost(WAIT).until(() -> registry.feed().activeWatches() == 3);

    watches.forEach(EventRecorder::cancel);

    await().atMost(WAIT).until(() -> registry.feed().activeWatches() == 0);
    createModels("after-cancel", 2);
    assertThat(watches).allSatisfy(w -> assertThat(w.changes()).isEmpty());
    assertWatchWorksFrom(0, "still-working");
    await().atMost(WAIT).until(() -> registry.feed().activeWatches() == 0);
  }

  @Test
  void closingTheRegistryEndsOpenWatchesWithUnavailable() throws Exception {
    start();
    EventRecorder open = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> open.all().size() == 1);

    registry.feed().close();

    await().atMost(WAIT).until(open::ended);
    assertThat(open.failure().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(open.errorInfo().getReason()).isEqualTo("STORE_UNAVAILABLE");
    EventRecorder refused = registry.watchFrom(0);
    await().atMost(WAIT).until(refused::ended);
    assertThat(refused.failure().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(open.all())
        .extracting(Event::getType)
        .containsExactly(EventType.EVENT_TYPE_PROGRESS);
    assertThat(registry.createModel("still-serving").getRevision()).isPositive();
  }
}
