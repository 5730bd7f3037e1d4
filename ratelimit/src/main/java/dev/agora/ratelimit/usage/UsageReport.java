package dev.agora.ratelimit.usage;

import java.util.List;
import java.util.Objects;

/**
 * One report of a {@link UsageMeter}: its deltas, under the meter's reporter id and the report's
 * number. A report that fails is sent again unchanged, with the same number, so that a sink that
 * remembers each reporter's last number (the registry does) applies it once.
 *
 * @param reporterId the meter's id, the same for every report it makes
 * @param sequence the report's number, from 1, one more for each new report
 * @param deltas at most {@link UsageMeterConfig#maxCountsPerReport()} deltas, each key once
 */
public record UsageReport(String reporterId, long sequence, List<UsageDelta> deltas) {
  /** Checks the fields and copies the deltas. */
  public UsageReport {
    Objects.requireNonNull(reporterId, "reporterId");
    if (sequence < 1) {
      throw new IllegalArgumentException("a report's sequence starts at 1, got " + sequence);
    }
    deltas = List.copyOf(deltas);
  }
}
