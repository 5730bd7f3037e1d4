package dev.agora.ratelimit.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that applies each reporter's report once, as the registry does (a report whose sequence is
 * not above the reporter's last applied one changes nothing), keeps what it applied, and can be
 * told to refuse the next reports or to apply them and then fail as if the answer were lost.
 */
final class RecordingSink implements UsageSink {
  private final List<UsageReport> received = new ArrayList<>();
  private final List<UsageReport> applied = new ArrayList<>();
  private final Map<String, Long> lastSequence = new HashMap<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger lostAnswers = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();

  /** Refuses the next {@code count} reports without applying them. */
  void refuseNext(int count) {
    refusals.set(count);
  }

  /** Applies the next {@code count} reports, then fails each as if its answer were lost. */
  void loseNextAnswers(int count) {
    lostAnswers.set(count);
  }

  @Override
  public synchronized void report(UsageReport report) throws Exception {
    calls.incrementAndGet();
    if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new java.io.IOException("the registry is unreachable");
    }
    received.add(report);
    if (report.sequence() > lastSequence.getOrDefault(report.reporterId(), 0L)) {
      lastSequence.put(report.reporterId(), report.sequence());
      applied.add(report);
    }
    if (lostAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new java.io.IOException("deadline exceeded on the way back");
    }
  }

  /** The deltas of each report applied so far. */
  synchronized List<List<UsageDelta>> reports() {
    return applied.stream().map(UsageReport::deltas).toList();
  }

  /** Every report that reached the sink and was not refused, repeats included. */
  synchronized List<UsageReport> received() {
    return List.copyOf(received);
  }

  /** Every call of {@link #report}, refused or not. */
  int calls() {
    return calls.get();
  }

  /** Applied requests and failures per key, summed over every applied report. */
  synchronized Map<UsageKey, long[]> totals() {
    Map<UsageKey, long[]> totals = new HashMap<>();
    for (UsageReport report : applied) {
      for (UsageDelta delta : report.deltas()) {
        long[] sum = totals.computeIfAbsent(delta.key(), k -> new long[2]);
        sum[0] += delta.requests();
        sum[1] += delta.failedRequests();
      }
    }
    return totals;
  }
}
