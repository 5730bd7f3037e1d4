package dev.agora.registry.usage;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The usage key space in the metadata store.
 *
 * <ul>
 *   <li>{@code /agora/v1/usage/days/{day}/{model}/{version}/{team}}: a {@code UsageRecord}; the
 *       version segment is {@value #ANY_VERSION} when the callers let the server choose
 *   <li>{@code /agora/v1/usage/last-call/{model}}: a {@code ModelLastCall}
 *   <li>{@code /agora/v1/usage/reporters/{reporter id}}: a {@code UsageReporter}, the last report
 *       applied for that reporter
 * </ul>
 *
 * Days come first, so a report's time range is a run of key prefixes read in order.
 */
final class UsageKeys {
  static final String PREFIX = "/agora/v1/usage/";
  static final String DAYS = PREFIX + "days/";
  static final String LAST_CALLS = PREFIX + "last-call/";
  static final String REPORTERS = PREFIX + "reporters/";

  /** The version segment of calls that named no version; no version string can equal it. */
  static final String ANY_VERSION = "-";

  private UsageKeys() {}

  /** The prefix of every record of one day. */
  static String day(LocalDate day) {
    return DAYS + day + "/";
  }

  /** The prefix of every record of one model on one day. */
  static String dayModel(LocalDate day, String model) {
    return day(day) + model + "/";
  }

  /** The key of one record. */
  static String record(LocalDate day, String model, String version, String team) {
    return dayModel(day, model) + (version.isEmpty() ? ANY_VERSION : version) + "/" + team;
  }

  /** The key of a model's last call time. */
  static String lastCall(String model) {
    return LAST_CALLS + model;
  }

  /** The key of a reporter's last applied report. */
  static String reporter(String reporterId) {
    return REPORTERS + reporterId;
  }

  /** The day of a key for which {@link #isRecordKey} holds. */
  static LocalDate dayOf(String recordKey) {
    int start = DAYS.length();
    return LocalDate.parse(recordKey.substring(start, recordKey.indexOf('/', start)));
  }

  /** Whether {@code key} has the shape of a record key, e.g. in a page token. */
  static boolean isRecordKey(String key) {
    if (!key.startsWith(DAYS)) {
      return false;
    }
    String[] segments = key.substring(DAYS.length()).split("/", -1);
    if (segments.length != 4) {
      return false;
    }
    for (String segment : segments) {
      if (segment.isEmpty()) {
        return false;
      }
    }
    try {
      LocalDate.parse(segments[0]);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
