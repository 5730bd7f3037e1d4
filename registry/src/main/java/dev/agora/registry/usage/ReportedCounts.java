package dev.agora.registry.usage;

import com.google.protobuf.Timestamp;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.registry.catalog.CatalogNames;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks the counts of a {@code ReportUsage} request, naming the first bad field. */
final class ReportedCounts {
  /** The most counts one report may carry (two store writes each, within etcd's 128). */
  static final int MAX_COUNTS = 50;

  /** The most calls one count may carry; far above any flush interval's traffic. */
  static final long MAX_REQUESTS = 1_000_000_000_000L;

  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]{0,63}");
  private static final Pattern TEAM = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z]{1,64}");
  private static final Pattern REPORTER_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  private ReportedCounts() {}

  /**
   * The request's counts, every field checked.
   *
   * @throws AgoraException {@code INVALID_FIELD} naming the first bad field
   */
  static List<UsageCount> check(ReportUsageRequest request) {
    int size = request.getCountsCount();
    if (size == 0 || size > MAX_COUNTS) {
      throw AgoraException.invalidField(
          "counts", "must hold 1 to " + MAX_COUNTS + " counts, got " + size);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < size; i++) {
      UsageCount count = request.getCounts(i);
      String field = "counts[" + i + "]";
      check(field, count);
      Integer earlier =
          seen.putIfAbsent(
              UsageKeys.record(
                      day(field + ".day", count.getDay()),
                      count.getModel(),
                      count.getVersion(),
                      count.getConsumerTeam())
                  + "#"
                  + count.getKeyId(),
              i);
      if (earlier != null) {
        throw AgoraException.invalidField(
            field, "counts the same day, model, version, team and key as counts[" + earlier + "]");
      }
    }
    return request.getCountsList();
  }

  /**
   * The request's reporter and sequence, checked.
   *
   * @return null when the request names no reporter (a report applied every time it is received)
   * @throws AgoraException {@code INVALID_FIELD} naming {@code reporter_id} or {@code sequence}
   */
  static UsageLedger.ReportId reportId(ReportUsageRequest request) {
    String reporter = request.getReporterId();
    long sequence = request.getSequence();
    if (reporter.isEmpty()) {
      if (sequence != 0) {
        throw AgoraException.invalidField("sequence", "must be 0 unless reporter_id is set");
      }
      return null;
    }
    if (!REPORTER_ID.matcher(reporter).matches()) {
      throw AgoraException.invalidField(
          "reporter_id", "must be 1 to 64 letters, digits, '-' or '_'");
    }
    if (sequence < 1) {
      throw AgoraException.invalidField("sequence", "must be 1 or more when reporter_id is set");
    }
    return new UsageLedger.ReportId(reporter, sequence);
  }

  /**
   * The UTC day a request field names.
   *
   * @throws AgoraException {@code INVALID_FIELD} naming {@code field} unless it is YYYY-MM-DD
   */
  static LocalDate day(String field, String day) {
    if (!DAY.matcher(day).matches()) {
      throw AgoraException.invalidField(field, "must be a date written YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(day);
    } catch (DateTimeParseException e) {
      throw AgoraException.invalidField(field, "is not a calendar date: '" + day + "'");
    }
  }

  private static void check(String field, UsageCount count) {
    day(field + ".day", count.getDay());
    CatalogNames.requireModelName(field + ".model", count.getModel());
    if (!count.getVersion().isEmpty() && !VERSION.matcher(count.getVersion()).matches()) {
      throw AgoraException.invalidField(
          field + ".version",
          "must be empty or 1 to 64 letters, digits, '.', '+' or '-' starting with a letter or"
              + " digit");
    }
    if (!TEAM.matcher(count.getConsumerTeam()).matches()) {
      throw AgoraException.invalidField(field + ".consumer_team", "must name a team");
    }
    if (!count.getKeyId().isEmpty() && !KEY_ID.matcher(count.getKeyId()).matches()) {
      throw AgoraException.invalidField(field + ".key_id", "must be empty or a key id");
    }
    if (count.getRequests() < 1 || count.getRequests() > MAX_REQUESTS) {
      throw AgoraException.invalidField(
          field + ".requests", "must be between 1 and " + MAX_REQUESTS);
    }
    if (count.getFailedRequests() < 0 || count.getFailedRequests() > count.getRequests()) {
      throw AgoraException.invalidField(
          field + ".failed_requests", "must be between 0 and requests");
    }
    Timestamp last = count.getLastCallTime();
    if (!count.hasLastCallTime()
        || last.getSeconds() <= 0
        || last.getNanos() < 0
        || last.getNanos() > 999_999_999) {
      throw AgoraException.invalidField(field + ".last_call_time", "must be a time after 1970");
    }
  }
}
