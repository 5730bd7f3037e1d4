package dev.agora.ratelimit.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps what it accepts and can be told to refuse the next reports. */
final class RecordingSink implements UsageSink {
  private final List<List<UsageDelta>> reports = new ArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();

  /** Refuses the next {@code count} reports. */
  void refuseNext(int count) {
    refusals.set(count);
  }

  @Override
  public synchronized void report(List<UsageDelta> deltas) throws Exception {
    calls.incrementAndGet();
    if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new java.io.IOException("the registry is unreachable");
    }
    reports.add(List.copyOf(deltas));
  }

  /** Reports accepted so far. */
  synchronized List<List<UsageDelta>> reports() {
    return List.copyOf(reports);
  }

  /** Every call of {@link #report}, refused or not. */
  int calls() {
    return calls.get();
  }

  /** Accepted requests and failures per key, summed over every report. */
  synchronized Map<UsageKey, long[]> totals() {
    Map<UsageKey, long[]> totals = new HashMap<>();
    for (List<UsageDelta> report : reports) {
      for (UsageDelta delta : report) {
        long[] sum = totals.computeIfAbsent(delta.key(), k -> new long[2]);
        sum[0] += delta.requests();
        sum[1] += delta.failedRequests();
      }
    }
    return totals;
  }
}
