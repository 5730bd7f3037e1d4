package dev.agora.registry.audit;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Where audit events live in the metadata store, and their ids.
 *
 * <ul>
 *   <li>{@code /agora/v1/audit/events/{id}}: every event
 *   <li>{@code /agora/v1/audit/by-model/{model}/{id}}: the same event, per model
 *   <li>{@code /agora/v1/audit/by-team/{team}/{id}}: the same event, per owner team
 * </ul>
 *
 * <p>An id is {@code {inverted time}-{inverted sequence}-{nonce}}: 19 digits of {@code
 * Long.MAX_VALUE} minus the event's epoch microseconds, 19 digits of {@code Long.MAX_VALUE} minus a
 * per-process sequence, and 8 random hex digits, so that byte order is newest first, events of the
 * same microsecond from one process keep their order, and ids from two processes never collide.
 */
public final class AuditKeys {
  /** The prefix of every audit key. */
  public static final String PREFIX = "/agora/v1/audit/";

  static final String EVENTS = PREFIX + "events/";
  private static final String BY_MODEL = PREFIX + "by-model/";
  private static final String BY_TEAM = PREFIX + "by-team/";
  private static final Pattern ID = Pattern.compile("\\d{19}-\\d{19}-[0-9a-f]{8}");
  private static final int TIME_DIGITS = 19;

  private AuditKeys() {}

  /** The prefix of one model's events. */
  static String ofModel(String model) {
    return BY_MODEL + model + "/";
  }

  /** The prefix of one team's events. */
  static String ofTeam(String team) {
    return BY_TEAM + team + "/";
  }

  /** Whether {@code text} is a well-formed event id. */
  public static boolean isId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  static String id(Instant time, long sequence, int nonce) {
    return String.format(
        "%019d-%019d-%08x", Long.MAX_VALUE - micros(time), Long.MAX_VALUE - sequence, nonce);
  }

  /** The greatest id-like suffix that sorts before every event earlier than {@code end}. */
  static String lastIdAtOrAfter(Instant end) {
    return String.format("%019d-~", Long.MAX_VALUE - micros(end));
  }

  /** Whether the event with this id happened before {@code start}. */
  static boolean isBefore(String id, Instant start) {
    long eventMicros = Long.MAX_VALUE - Long.parseLong(id.substring(0, TIME_DIGITS));
    return eventMicros < micros(start);
  }

  private static long micros(Instant time) {
    if (time.getEpochSecond() < 0) {
      throw new IllegalArgumentException("audit times start at the epoch, got " + time);
    }
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
  }
}
