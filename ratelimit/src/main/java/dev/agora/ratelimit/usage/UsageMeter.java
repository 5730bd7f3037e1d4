package dev.agora.ratelimit.usage;

import dev.agora.ratelimit.identity.Caller;
import io.grpc.ServerInterceptor;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts inference calls per {@link UsageKey} in memory and reports them to a {@link UsageSink}
 * every {@link UsageMeterConfig#flushInterval()} from a thread of its own, and once more when
 * closed.
 *
 * <p>The request path ({@link #record}) reads the clock, looks its key up in a concurrent map and
 * adds to {@link java.util.concurrent.atomic.LongAdder}s: no lock, no I/O, and no allocation but
 * the lookup key (and the counters, the first time a key is seen). Counters only grow; the flusher
 * remembers, per key, how much the sink has accepted and reports the difference. Reports carry the
 * meter's {@link #reporterId()} and a sequence; a report that fails is sent again, unchanged and
 * under the same sequence, by the next flush, so a sink that failed after recording it (e.g. on a
 * deadline) can tell the repeat and apply it once (the registry does: decision 0021). Failures are
 * logged; the entries waiting for a report stay bounded by {@link
 * UsageMeterConfig#maxTrackedEntries()}, beyond which calls are counted in {@link
 * #untrackedCalls()} and logged.
 *
 * <p>Entries of days before yesterday are dropped once fully reported. Calls of callers without a
 * team (trusted in-process callers) are not metered, and calls naming a model or version no catalog
 * could hold are counted only in {@link #unnamedCalls()}.
 */
public final class UsageMeter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UsageMeter.class);
  private static final long MILLIS_PER_DAY = TimeUnit.DAYS.toMillis(1);

  private final UsageMeterConfig config;
  private final UsageSink sink;
  private final InstantSource clock;
  private final ConcurrentHashMap<UsageKey, UsageTally> tallies = new ConcurrentHashMap<>();
  private final LongAdder untracked = new LongAdder();
  private final LongAdder unnamed = new LongAdder();
  private final ScheduledExecutorService flusher;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object flushLock = new Object();
  private final String reporterId = UUID.randomUUID().toString();
  // Guarded by flushLock.
  private boolean failing;
  private long untrackedLogged;
  private long sequence;
  // The last report sent whose answer was not a success; sent again before anything else.
  private Batch unanswered;

  /**
   * Starts a meter whose flusher reports to {@code sink} every {@code config.flushInterval()}.
   *
   * @param clock tells the day of each call and the time of the latest
   */
  public UsageMeter(UsageMeterConfig config, UsageSink sink, InstantSource clock) {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "agora-usage-flush");
              thread.setDaemon(true);
              return thread;
            });
    long interval = config.flushInterval().toMillis();
    flusher.scheduleWithFixedDelay(this::flush, interval, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * The interceptor that meters {@code ModelInfer} and {@code ModelStreamInfer} calls; place it
   * inside authentication (and any scope check), so that it sees the caller and only calls that
   * were let through.
   */
  public ServerInterceptor interceptor() {
    return new UsageMeterInterceptor(this);
  }

  /**
   * Counts one call that ended now.
   *
   * @param model the model name the call asked for
   * @param version the version it asked for; empty when it let the server choose
   * @param failed whether it ended with a status other than OK
   */
  public void record(Caller caller, String model, String version, boolean failed) {
    if (caller.team().isEmpty()) {
      return;
    }
    if (!UsageNames.isModel(model) || !UsageNames.isVersion(version)) {
      unnamed.increment();
      return;
    }
    long now = clock.millis();
    UsageKey key =
        new UsageKey(
            Math.floorDiv(now, MILLIS_PER_DAY), caller.team(), caller.keyId(), model, version);
    UsageTally tally = tallies.get(key);
    if (tally == null) {
      if (tallies.size() >= config.maxTrackedEntries()) {
        untracked.increment();
        return;
      }
      tally = tallies.computeIfAbsent(key, k -> new UsageTally());
    }
    tally.add(failed, now);
  }

  /**
   * Reports everything counted and not yet accepted, in reports of at most {@link
   * UsageMeterConfig#maxCountsPerReport()} entries, stopping at the first report the sink refuses.
   * A refused report is kept as it is and sent again, unchanged and under the same sequence, before
   * anything else by the next flush; calls counted meanwhile go into later reports.
   *
   * @return whether the sink accepted everything
   */
  public boolean flush() {
    synchronized (flushLock) {
      logUntracked();
      if (unanswered != null && !send(unanswered)) {
        return false;
      }
      List<Due> pending = collectPending();
      for (int from = 0; from < pending.size(); from += config.maxCountsPerReport()) {
        Batch next =
            Batch.of(
                reporterId,
                ++sequence,
                pending.subList(
                    from, Math.min(pending.size(), from + config.maxCountsPerReport())));
        if (!send(next)) {
          return false;
        }
      }
      if (failing) {
        log.info("usage reports succeed again; all counted calls are reported");
        failing = false;
      }
      return true;
    }
  }

  /** Sends one report; on success marks its counts accepted, on failure keeps it unanswered. */
  private boolean send(Batch batch) {
    try {
      sink.report(batch.report());
    } catch (Exception e) {
      unanswered = batch;
      reportFailed(e);
      return false;
    }
    unanswered = null;
    batch.dues().forEach(due -> due.tally().accept(due.counted()));
    return true;
  }

  /** The id this meter's reports carry. */
  public String reporterId() {
    return reporterId;
  }

  /** Calls not metered because {@link UsageMeterConfig#maxTrackedEntries()} entries were held. */
  public long untrackedCalls() {
    return untracked.sum();
  }

  /** Calls not metered because they named a model or version no catalog could hold. */
  public long unnamedCalls() {
    return unnamed.sum();
  }

  /** How many entries are held. */
  int trackedEntries() {
    return tallies.size();
  }

  /** Stops the flusher, then reports what is left; logs what could not be reported. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    flusher.shutdown();
    try {
      if (!flusher.awaitTermination(30, TimeUnit.SECONDS)) {
        flusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      flusher.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (!flush()) {
      log.error(
          "usage of {} calls was not confirmed as reported before shutdown and may be lost",
          unreported());
    }
  }

  /** Calls counted and not accepted by the sink, whether in the unanswered report or not. */
  private long unreported() {
    return tallies.values().stream()
        .map(UsageTally::pending)
        .filter(Objects::nonNull)
        .mapToLong(UsageTally.Pending::requests)
        .sum();
  }

  /** Every entry with counts to report; drops fully reported entries of days before yesterday. */
  private List<Due> collectPending() {
    long yesterday = Math.floorDiv(clock.millis(), MILLIS_PER_DAY) - 1;
    List<Due> pending = new ArrayList<>();
    tallies.forEach(
        (key, tally) -> {
          UsageTally.Pending counted = tally.pending();
          if (counted != null) {
            pending.add(new Due(key, tally, counted));
          } else if (key.epochDay() < yesterday) {
            // No call stalls for a day between reading the clock and counting: nothing is lost.
            tallies.remove(key, tally);
          }
        });
    return pending;
  }

  /** An entry with counts the sink has not accepted yet. */
  private record Due(UsageKey key, UsageTally tally, UsageTally.Pending counted) {
    UsageDelta delta() {
      return new UsageDelta(key, counted.requests(), counted.failed(), counted.lastCallTime());
    }
  }

  /** One report and the entries it accepts when it succeeds; fixed once sent. */
  private record Batch(UsageReport report, List<Due> dues) {
    static Batch of(String reporterId, long sequence, List<Due> dues) {
      return new Batch(
          new UsageReport(reporterId, sequence, dues.stream().map(Due::delta).toList()),
          List.copyOf(dues));
    }
  }

  private void reportFailed(Exception e) {
    long calls = unreported();
    if (!failing) {
      log.warn(
          "usage report {} failed; {} calls are kept, and the report is sent again every {}: {}",
          unanswered.report().sequence(),
          calls,
          config.flushInterval(),
          e.toString());
      failing = true;
    } else {
      log.debug("usage report failed again; {} calls kept: {}", calls, e.toString());
    }
  }

  private void logUntracked() {
    long now = untracked.sum();
    if (now > untrackedLogged) {
      log.warn(
          "{} calls were not metered: the meter already holds {} entries waiting for a report",
          now - untrackedLogged,
          config.maxTrackedEntries());
      untrackedLogged = now;
    }
  }
}
