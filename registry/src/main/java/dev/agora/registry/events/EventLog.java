package dev.agora.registry.events;

import dev.agora.proto.registry.v1.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The feed's memory: a bounded ring of derived events, numbered by a sequence that never repeats,
 * shared by every watcher. Each watcher is a cursor into it, so a slow watcher costs no memory of
 * its own; one that falls so far behind that the ring dropped the event it needs next is told to
 * re-list. Every {@link #reset} (a new snapshot of the store) starts a new epoch, which ends the
 * cursors of the old one.
 *
 * <p>Revisions: {@code floor} is the lowest revision from which every event is still held; {@code
 * seen} the last store revision the feed processed; {@code complete} the revision up to which every
 * event has been appended. Events of one store transaction arrive one by one with the same
 * revision, so {@code seen} is complete only once a later revision arrives or the feed stays quiet
 * for a whole progress interval ({@link #markQuiet}).
 */
final class EventLog {

  /** What a cursor finds when it reads. */
  enum Outcome {
    /** Events (possibly none yet) follow the cursor. */
    EVENTS,
    /** The ring dropped events the cursor had not read. */
    FELL_BEHIND,
    /** The feed took a new snapshot; the cursor's epoch is over. */
    RESTARTED,
    /** The feed lost the store and is reconnecting. */
    UNAVAILABLE,
    /** The feed is closed. */
    CLOSED
  }

  /** Where a new watcher starts, or why it cannot. */
  record Position(Outcome outcome, long epoch, long seq, long seenRevision, long floorRevision) {}

  /**
   * What one read found.
   *
   * @param events the events from the cursor on, at most the number asked for
   * @param headSeq the sequence the next appended event will get
   * @param completeRevision every event up to this revision was appended before {@code headSeq}
   */
  record Read(
      Outcome outcome,
      List<Event> events,
      long headSeq,
      long completeRevision,
      long seenRevision,
      long floorRevision) {}

  private enum State {
    OPEN,
    UNAVAILABLE,
    CLOSED
  }

  private final Event[] ring;
  private State state = State.UNAVAILABLE;
  private long epoch;
  private long headSeq;
  private long tailSeq;
  private long floorRevision = 1;
  private long seenRevision;
  private long completeRevision;
  private long quietMark = -1;

  EventLog(int capacity) {
    this.ring = new Event[capacity];
  }

  /** Starts a new epoch after a snapshot of the store at {@code snapshotRevision}. */
  synchronized long reset(long snapshotRevision) {
    Arrays.fill(ring, null);
    epoch++;
    state = State.OPEN;
    tailSeq = headSeq;
    floorRevision = snapshotRevision + 1;
    seenRevision = snapshotRevision;
    completeRevision = snapshotRevision;
    quietMark = snapshotRevision;
    return epoch;
  }

  /** Ends the current epoch: the feed lost the store and will {@link #reset} once it is back. */
  synchronized void suspend() {
    if (state == State.OPEN) {
      epoch++;
      state = State.UNAVAILABLE;
    }
  }

  /** Ends the current epoch for good. */
  synchronized void close() {
    epoch++;
    state = State.CLOSED;
  }

  /**
   * Appends the events of one store change; {@code derived} may be empty, which still records that
   * the feed reached {@code revision}.
   *
   * @return false when {@code epoch} is over, so nothing was appended
   */
  synchronized boolean append(long epoch, long revision, List<Event> derived) {
    if (epoch != this.epoch || state != State.OPEN) {
      return false;
    }
    if (revision > seenRevision) {
      completeRevision = Math.max(completeRevision, revision - 1);
      seenRevision = revision;
    }
    for (Event event : derived) {
      if (headSeq - tailSeq == ring.length) {
        Event dropped = ring[slot(tailSeq)];
        floorRevision = Math.max(floorRevision, dropped.getRevision() + 1);
        tailSeq++;
      }
      ring[slot(headSeq)] = event;
      headSeq++;
    }
    return true;
  }

  /** Called once per progress interval: a revision seen twice in a row is complete. */
  synchronized void markQuiet() {
    if (state == State.OPEN && seenRevision == quietMark) {
      completeRevision = Math.max(completeRevision, seenRevision);
    }
    quietMark = seenRevision;
  }

  /** The cursor for a watcher that wants every event from {@code startRevision} on. */
  synchronized Position position(long startRevision) {
    if (state != State.OPEN) {
      Outcome outcome = state == State.CLOSED ? Outcome.CLOSED : Outcome.UNAVAILABLE;
      return new Position(outcome, epoch, headSeq, seenRevision, floorRevision);
    }
    if (startRevision < floorRevision) {
      return new Position(Outcome.FELL_BEHIND, epoch, headSeq, seenRevision, floorRevision);
    }
    long low = tailSeq;
    long high = headSeq;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (ring[slot(middle)].getRevision() < startRevision) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return new Position(Outcome.EVENTS, epoch, low, seenRevision, floorRevision);
  }

  /** Up to {@code max} events from {@code seq} on, for a cursor of {@code epoch}. */
  synchronized Read read(long epoch, long seq, int max) {
    Outcome outcome = Outcome.EVENTS;
    if (epoch != this.epoch) {
      outcome =
          switch (state) {
            case OPEN -> Outcome.RESTARTED;
            case UNAVAILABLE -> Outcome.UNAVAILABLE;
            case CLOSED -> Outcome.CLOSED;
          };
    } else if (seq < tailSeq) {
      outcome = Outcome.FELL_BEHIND;
    }
    if (outcome != Outcome.EVENTS) {
      return new Read(outcome, List.of(), headSeq, completeRevision, seenRevision, floorRevision);
    }
    int count = (int) Math.min(max, headSeq - seq);
    List<Event> events = new ArrayList<>(count);
    for (long next = seq; next < seq + count; next++) {
      events.add(ring[slot(next)]);
    }
    return new Read(outcome, events, headSeq, completeRevision, seenRevision, floorRevision);
  }

  /** The last store revision the feed processed. */
  synchronized long seenRevision() {
    return seenRevision;
  }

  private int slot(long seq) {
    return (int) (seq % ring.length);
  }
}
