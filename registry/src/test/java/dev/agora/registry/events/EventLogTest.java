package dev.agora.registry.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded ring: eviction raises the floor, cursors that fell off it and old epochs end. */
class EventLogTest {

  private static Event at(long revision) {
    return Event.newBuilder()
        .setType(EventType.EVENT_TYPE_MODEL_UPDATED)
        .setRevision(revision)
        .build();
  }

  @Test
  void positionsFindTheFirstEventAtOrAfterARevision() {
    EventLog log = new EventLog(8);
    long epoch = log.reset(10);
    log.append(epoch, 11, List.of(at(11), at(11)));
    log.append(epoch, 12, List.of());
    log.append(epoch, 14, List.of(at(14)));

    assertThat(log.position(11).seq()).isZero();
    assertThat(log.position(12).seq()).isEqualTo(2);
    assertThat(log.position(14).seq()).isEqualTo(2);
    assertThat(log.position(15).seq()).isEqualTo(3);
    assertThat(log.position(10).outcome()).isEqualTo(EventLog.Outcome.FELL_BEHIND);
    assertThat(log.read(epoch, 2, 10).events()).containsExactly(at(14));
    assertThat(log.read(epoch, 2, 10).completeRevision()).isEqualTo(13);
  }

  @Test
  void evictionRaisesTheFloorAndEndsCursorsItPassed() {
    EventLog log = new EventLog(3);
    long epoch = log.reset(0);
    for (long revision = 1; revision <= 5; revision++) {
      log.append(epoch, revision, List.of(at(revision)));
    }

    assertThat(log.position(2).outcome()).isEqualTo(EventLog.Outcome.FELL_BEHIND);
    assertThat(log.position(3).outcome()).isEqualTo(EventLog.Outcome.EVENTS);
    assertThat(log.read(epoch, 1, 10).outcome()).isEqualTo(EventLog.Outcome.FELL_BEHIND);
    EventLog.Read held = log.read(epoch, 2, 10);
    assertThat(held.events()).containsExactly(at(3), at(4), at(5));
    assertThat(held.floorRevision()).isEqualTo(3);
  }

  @Test
  void aNewEpochEndsOldCursorsAndRefusesStaleAppends() {
    EventLog log = new EventLog(4);
    long first = log.reset(0);
    log.append(first, 1, List.of(at(1)));

    long second = log.reset(5);

    assertThat(log.read(first, 0, 10).outcome()).isEqualTo(EventLog.Outcome.RESTARTED);
    assertThat(log.append(first, 6, List.of(at(6)))).isFalse();
    assertThat(log.position(5).outcome()).isEqualTo(EventLog.Outcome.FELL_BEHIND);
    assertThat(log.position(6).outcome()).isEqualTo(EventLog.Outcome.EVENTS);
    assertThat(log.read(second, log.position(6).seq(), 10).events()).isEmpty();
    log.suspend();
    assertThat(log.read(second, 1, 10).outcome()).isEqualTo(EventLog.Outcome.UNAVAILABLE);
    assertThat(log.position(6).outcome()).isEqualTo(EventLog.Outcome.UNAVAILABLE);
    log.close();
    assertThat(log.position(6).outcome()).isEqualTo(EventLog.Outcome.CLOSED);
  }

  @Test
  void theLastRevisionSeenIsCompleteOnlyAfterAQuietInterval() {
    EventLog log = new EventLog(4);
    long epoch = log.reset(3);
    log.append(epoch, 4, List.of(at(4)));
    assertThat(log.read(epoch, 0, 1).completeRevision()).isEqualTo(3);

    log.markQuiet();
    assertThat(log.read(epoch, 0, 1).completeRevision()).isEqualTo(3);
    log.markQuiet();
    assertThat(log.read(epoch, 0, 1).completeRevision()).isEqualTo(4);
    log.append(epoch, 5, List.of());
    assertThat(log.read(epoch, 0, 1).completeRevision()).isEqualTo(4);
    assertThat(log.seenRevision()).isEqualTo(5);
  }
}
