package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.WatchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PROGRESS events: first on every stream, then periodically while a caught-up stream is idle. */
class ProgressEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;
  private EventsHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        EventsHarness.start(
            dataDir, EventsConfig.defaults().withProgressInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static List<Long> progress(EventRecorder watch) {
    return watch.all().stream()
        .filter(e -> e.getType() == EventType.EVENT_TYPE_PROGRESS)
        .map(Event::getRevision)
        .toList();
  }

  @Test
  void idleWatchesLearnTheRevisionTheyHaveReached() {
    EventRecorder all = registry.watchFrom(0);
    EventRecorder otherModel =
        registry.watch(WatchRequest.newBuilder().addModels("unrelated").build());
    await().atMost(WAIT).until(() -> !all.all().isEmpty() && !otherModel.all().isEmpty());

    long created = registry.createModel("quiet").getRevision();

    await().atMost(WAIT).until(() -> progress(otherModel).contains(created));
    assertThat(otherModel.changes()).isEmpty();
    await().atMost(WAIT).until(() -> progress(all).contains(created));
    assertThat(all.changeTypes()).containsExactly(EventType.EVENT_TYPE_MODEL_CREATED);
    assertThat(progress(all))
        .isSorted()
        .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(created));
  }

  @Test
  void progressNeverClaimsARevisionWhoseEventsAreStillToCome() {
    EventRecorder watch = registry.watchFrom(0);
    await().atMost(WAIT).until(() -> !watch.all().isEmpty());

    for (int i = 0; i < 20; i++) {
      registry.createModel("steady-" + i);
    }

    await().atMost(WAIT).until(() -> watch.changes().size() == 20);
    List<Event> seen = watch.all();
    for (int i = 0; i < seen.size(); i++) {
      Event event = seen.get(i);
      if (event.getType() == EventType.EVENT_TYPE_PROGRESS) {
        long claimed = event.getRevision();
        for (Event later : seen.subList(i + 1, seen.size())) {
          if (later.getType() == EventType.EVENT_TYPE_PROGRESS) {
            assertThat(later.getRevision()).isGreaterThanOrEqualTo(claimed);
          } else {
            assertThat(later.getRevision()).isGreaterThan(claimed);
          }
        }
      }
    }
  }
}
