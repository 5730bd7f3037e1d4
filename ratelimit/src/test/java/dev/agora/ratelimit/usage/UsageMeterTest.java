package dev.agora.ratelimit.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.PrincipalKind;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meter's counting and flushing, against a fake sink at the SPI boundary. */
class UsageMeterTest {
  private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");
  private static final Duration NEVER = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock(NOON);
  private final RecordingSink sink = new RecordingSink();
  private final List<UsageMeter> meters = new ArrayList<>();

  @AfterEach
  void close() {
    meters.forEach(UsageMeter::close);
  }

  @Test
  void countsAggregatePerDayTeamKeyModelAndVersion() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    Caller alice = caller("fraud", "key1");
    Caller bob = caller("growth", "key2");
    for (int i = 0; i < 5; i++) {
      meter.record(alice, "scorer", "1.0.0", i == 0);
    }
    meter.record(alice, "scorer", "", false);
    meter.record(bob, "scorer", "1.0.0", true);
    clock.advance(Duration.ofHours(12));
    meter.record(alice, "scorer", "1.0.0", false);

    assertThat(meter.flush()).isTrue();

    assertThat(sink.reports()).hasSize(1);
    assertThat(sink.totals())
        .containsOnlyKeys(
            key("2026-03-10", "fraud", "key1", "scorer", "1.0.0"),
            key("2026-03-10", "fraud", "key1", "scorer", ""),
            key("2026-03-10", "growth", "key2", "scorer", "1.0.0"),
            key("2026-03-11", "fraud", "key1", "scorer", "1.0.0"));
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
        .containsExactly(5, 1);
    assertThat(sink.totals().get(key("2026-03-10", "growth", "key2", "scorer", "1.0.0")))
        .containsExactly(1, 1);
    UsageDelta late =
        sink.reports().get(0).stream()
            .filter(d -> d.key().day().equals(LocalDate.parse("2026-03-11")))
            .findFirst()
            .orElseThrow();
    assertThat(late.lastCallTime()).isEqualTo(NOON.plus(Duration.ofHours(12)));
  }

  @Test
  void aFlushReportsOnlyWhatWasCountedSinceTheLastAcceptedOne() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    Caller alice = caller("fraud", "key1");
    meter.record(alice, "scorer", "1.0.0", false);
    meter.record(alice, "scorer", "1.0.0", false);
    assertThat(meter.flush()).isTrue();

    assertThat(meter.flush()).isTrue();
    assertThat(sink.calls()).as("nothing new, nothing sent").isEqualTo(1);

    meter.record(alice, "scorer", "1.0.0", true);
    assertThat(meter.flush()).isTrue();
    assertThat(sink.reports().get(1))
        .singleElement()
        .satisfies(
            delta -> {
              assertThat(delta.requests()).isEqualTo(1);
              assertThat(delta.failedRequests()).isEqualTo(1);
            });
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
        .containsExactly(3, 1);
  }

  @Test
  void aRefusedReportIsSentAgainUnchangedAndWhatCameAfterFollowsInTheNextReport() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    Caller alice = caller("fraud", "key1");
    meter.record(alice, "scorer", "1.0.0", false);
    sink.refuseNext(2);

    assertThat(meter.flush()).isFalse();
    meter.record(alice, "scorer", "1.0.0", true);
    assertThat(meter.flush()).isFalse();
    assertThat(sink.reports()).isEmpty();

    assertThat(meter.flush()).isTrue();
    assertThat(sink.received())
        .extracting(UsageReport::sequence, r -> r.deltas().get(0).requests())
        .containsExactly(tuple(1L, 1L), tuple(2L, 1L));
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
        .containsExactly(2, 1);
  }

  @Test
  void aReportWhoseAnswerWasLostIsRepeatedUnderItsSequenceAndCountedOnce() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    Caller alice = caller("fraud", "key1");
    meter.record(alice, "scorer", "1.0.0", false);
    sink.loseNextAnswers(1);

    assertThat(meter.flush()).isFalse();
    meter.record(alice, "scorer", "1.0.0", false);
    meter.record(alice, "scorer", "1.0.0", true);
    assertThat(meter.flush()).isTrue();

    List<UsageReport> received = sink.received();
    assertThat(received).extracting(UsageReport::sequence).containsExactly(1L, 1L, 2L);
    assertThat(received.get(1)).isEqualTo(received.get(0));
    assertThat(received).extracting(UsageReport::reporterId).containsOnly(meter.reporterId());
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
        .containsExactly(3, 1);
  }

  @Test
  void reportsAreSplitAndAFailureMidwayResendsOnlyWhatWasNotAccepted() {
    Caller alice = caller("fraud", "key1");
    // accept the first report, refuse the second
    UsageSink flaky =
        new UsageSink() {
          int seen;

          @Override
          public void report(UsageReport report) throws Exception {
            if (++seen == 2) {
              throw new java.io.IOException("registry restarting");
            }
            sink.report(report);
          }
        };
    UsageMeter split = meter(new UsageMeterConfig(NEVER, 1000, 3), flaky);
    for (int model = 0; model < 7; model++) {
      split.record(alice, "model-" + model, "1.0.0", false);
    }

    assertThat(split.flush()).isFalse();
    assertThat(sink.reports()).hasSize(1);
    assertThat(split.flush()).isTrue();

    assertThat(sink.reports()).extracting(List::size).containsExactly(3, 3, 1);
    assertThat(sink.totals())
        .hasSize(7)
        .allSatisfy((key, sum) -> assertThat(sum).containsExactly(1, 0));
  }

  @Test
  void concurrentCallsAreReportedExactlyOnceAcrossFlushesFailuresAndLostAnswers() throws Exception {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    int threads = 4;
    int callsPerThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicBoolean done = new AtomicBoolean();
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Caller caller = caller(t % 2 == 0 ? "fraud" : "growth", "key" + t);
        callers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < callsPerThread; i++) {
                    meter.record(caller, "scorer", i % 3 == 0 ? "" : "1.0.0", i % 10 == 0);
                  }
                }));
      }
      Future<?> flusher =
          pool.submit(
              () -> {
                int round = 0;
                while (!done.get()) {
                  if (++round % 3 == 0) {
                    sink.refuseNext(1);
                  } else if (round % 5 == 0) {
                    sink.loseNextAnswers(1);
                  }
                  meter.flush();
                }
              });
      for (Future<?> call : callers) {
        call.get(60, TimeUnit.SECONDS);
      }
      done.set(true);
      flusher.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    sink.refuseNext(0);
    sink.loseNextAnswers(0);
    assertThat(meter.flush()).isTrue();

    long requests = sink.totals().values().stream().mapToLong(sum -> sum[0]).sum();
    long failures = sink.totals().values().stream().mapToLong(sum -> sum[1]).sum();
    assertThat(requests).isEqualTo((long) threads * callsPerThread);
    assertThat(failures).isEqualTo((long) threads * (callsPerThread / 10));
    assertThat(sink.reports())
        .allSatisfy(
            report ->
                assertThat(report)
                    .allSatisfy(
                        d -> assertThat(d.failedRequests()).isLessThanOrEqualTo(d.requests())));
  }

  @Test
  void theFlusherReportsOnItsOwnEveryInterval() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(Duration.ofMillis(100)));
    meter.record(caller("fraud", "key1"), "scorer", "1.0.0", false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> sink.totals().containsKey(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")));

    meter.record(caller("fraud", "key1"), "scorer", "1.0.0", false);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
                    .containsExactly(2, 0));
  }

  @Test
  void closingReportsWhatIsLeftAndStopsTheFlusher() {
    UsageMeter meter = new UsageMeter(UsageMeterConfig.defaults(), sink, clock);
    meter.record(caller("fraud", "key1"), "scorer", "1.0.0", true);

    meter.close();

    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "scorer", "1.0.0")))
        .containsExactly(1, 1);
    int calls = sink.calls();
    meter.close();
    assertThat(sink.calls()).as("a second close does nothing").isEqualTo(calls);
  }

  @Test
  void fullyReportedEntriesOfOldDaysAreDroppedButPendingOnesAreKept() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    meter.record(caller("fraud", "key1"), "scorer", "1.0.0", false);
    assertThat(meter.flush()).isTrue();
    meter.record(caller("fraud", "key1"), "ranker", "1.0.0", false);
    sink.refuseNext(1);
    assertThat(meter.flush()).isFalse();

    clock.advance(Duration.ofDays(1));
    assertThat(meter.flush()).isTrue();
    assertThat(meter.trackedEntries()).as("yesterday's entries stay").isEqualTo(2);
    meter.record(caller("fraud", "key1"), "ranker", "1.0.0", false);
    clock.advance(Duration.ofDays(2));
    sink.refuseNext(1);
    assertThat(meter.flush()).isFalse();
    assertThat(meter.trackedEntries())
        .as("the reported entries of an old day are dropped, the pending one kept")
        .isEqualTo(1);

    assertThat(meter.flush()).isTrue();
    assertThat(meter.flush()).isTrue();
    assertThat(meter.trackedEntries()).isZero();
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "ranker", "1.0.0")))
        .containsExactly(1, 0);
    assertThat(sink.totals().get(key("2026-03-11", "fraud", "key1", "ranker", "1.0.0")))
        .containsExactly(1, 0);
  }

  @Test
  void callsBeyondTheEntryBoundAreCountedAsUntrackedAndOthersStillWork() {
    UsageMeter meter = meter(new UsageMeterConfig(NEVER, 2, 50));
    Caller alice = caller("fraud", "key1");
    meter.record(alice, "one", "", false);
    meter.record(alice, "two", "", false);
    meter.record(alice, "three", "", false);
    meter.record(alice, "one", "", false);

    assertThat(meter.untrackedCalls()).isEqualTo(1);
    assertThat(meter.flush()).isTrue();
    assertThat(sink.totals()).hasSize(2);
    assertThat(sink.totals().get(key("2026-03-10", "fraud", "key1", "one", "")))
        .containsExactly(2, 0);
  }

  @Test
  void callsNamingImpossibleModelsOrVersionsAndCallersWithoutATeamAreNotReported() {
    UsageMeter meter = meter(UsageMeterConfig.defaults().withFlushInterval(NEVER));
    Caller alice = caller("fraud", "key1");
    meter.record(alice, "Not/A/Model", "", true);
    meter.record(alice, "", "", true);
    meter.record(alice, "scorer", "1.0.0/../x", true);
    meter.record(alice, "x".repeat(64), "", true);
    meter.record(Caller.trusted("in-process", Set.of(Scope.INFERENCE)), "scorer", "", false);
    meter.record(alice, "scorer", "2.0.0-rc.1+build", false);

    assertThat(meter.unnamedCalls()).isEqualTo(4);
    assertThat(meter.flush()).isTrue();
    assertThat(sink.totals())
        .containsOnlyKeys(key("2026-03-10", "fraud", "key1", "scorer", "2.0.0-rc.1+build"));
  }

  private UsageMeter meter(UsageMeterConfig config) {
    return meter(config, sink);
  }

  private UsageMeter meter(UsageMeterConfig config, UsageSink to) {
    UsageMeter meter = new UsageMeter(config, to, clock);
    meters.add(meter);
    return meter;
  }

  static Caller caller(String team, String keyId) {
    return new Caller(
        keyId,
        "someone@example.com",
        PrincipalKind.USER,
        team,
        Set.of(Role.CONSUMER),
        Set.of(Scope.INFERENCE),
        Optional.empty());
  }

  private static UsageKey key(String day, String team, String keyId, String model, String version) {
    return new UsageKey(LocalDate.parse(day).toEpochDay(), team, keyId, model, version);
  }
}
