package dev.agora.registry.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.KeyUsage;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.registry.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How usage counts merge on a {@link MetadataStore}: every store must sum concurrent reports
 * exactly. Subclassed per store implementation.
 */
public abstract class UsageLedgerContractTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-01");
  private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

  private final List<MetadataStore> stores = new ArrayList<>();

  /** A new, empty store. */
  protected abstract MetadataStore newStore() throws Exception;

  private UsageLedger ledger;

  @BeforeEach
  void open() throws Exception {
    ledger = new UsageLedger(open(newStore()));
  }

  @AfterEach
  void close() {
    stores.forEach(MetadataStore::close);
  }

  /**
   * Another client of {@code first}'s data, as a second registry replica would have; {@code first}
   * itself where the store serves one process only.
   */
  protected abstract MetadataStore sameData(MetadataStore first) throws Exception;

  @Test
  void reportsAddUpPerRecordAndPerKey() {
    ledger.add(List.of(count("scorer", "growth", "k1", 3, 1, NOON)));
    ledger.add(
        List.of(
            count("scorer", "growth", "k1", 2, 0, NOON.minusSeconds(60)),
            count("scorer", "growth", "k2", 5, 5, NOON.plusSeconds(60))));

    UsageRecord record = only(ledger.query(allOf(DAY), r -> true).records());
    assertThat(record.getRequests()).isEqualTo(10);
    assertThat(record.getFailedRequests()).isEqualTo(6);
    assertThat(record.getKeysList())
        .extracting(KeyUsage::getKeyId, KeyUsage::getRequests, KeyUsage::getFailedRequests)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("k1", 5L, 1L),
            org.assertj.core.groups.Tuple.tuple("k2", 5L, 5L));
    assertThat(record.getLastCallTime().getSeconds())
        .isEqualTo(NOON.plusSeconds(60).getEpochSecond());
  }

  @Test
  void theLastCallTimeOfAModelOnlyMovesForward() {
    assertThat(ledger.lastCall("scorer")).isEmpty();
    ledger.add(List.of(count("scorer", "growth", "k1", 1, 0, NOON)));
    ledger.add(List.of(count("scorer", "ops", "k2", 1, 1, NOON.minusSeconds(3600))));
    assertThat(ledger.lastCall("scorer")).contains(NOON);

    ledger.add(List.of(count("scorer", "ops", "k2", 1, 0, NOON.plusSeconds(1))));
    assertThat(ledger.lastCall("scorer")).contains(NOON.plusSeconds(1));
    assertThat(ledger.lastCall("ranker")).isEmpty();
  }

  @Test
  void concurrentReportersOnSeveralClientsSumExactly() throws Exception {
    List<UsageLedger> reporters = new ArrayList<>();
    reporters.add(ledger);
    reporters.add(new UsageLedger(open(sameData(stores.get(0)))));
    int threads = 4;
    int reportsPerThread = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        UsageLedger reporter = reporters.get(t % reporters.size());
        String key = "k" + t;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < reportsPerThread; i++) {
                    reporter.add(
                        List.of(
                            count("scorer", "growth", key, 2, 1, NOON.plusSeconds(i)),
                            count("scorer", "ops", key, 1, 0, NOON.plusSeconds(i)),
                            count("ranker", "growth", key, 3, 0, NOON.plusSeconds(i))));
                  }
                }));
      }
      for (Future<?> future : work) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<UsageRecord> records = ledger.query(allOf(DAY), r -> true).records();
    assertThat(records)
        .extracting(r -> r.getModel() + "/" + r.getConsumerTeam() + "=" + r.getRequests())
        .containsExactly(
            "ranker/growth=" + 3 * threads * reportsPerThread,
            "scorer/growth=" + 2 * threads * reportsPerThread,
            "scorer/ops=" + threads * reportsPerThread);
    assertThat(records.get(1).getFailedRequests()).isEqualTo(threads * reportsPerThread);
    assertThat(records.get(1).getKeysList())
        .hasSize(threads)
        .allSatisfy(key -> assertThat(key.getRequests()).isEqualTo(2L * reportsPerThread));
    assertThat(ledger.lastCall("scorer")).contains(NOON.plusSeconds(reportsPerThread - 1));
  }

  @Test
  void aReportRepeatedUnderItsReporterAndSequenceIsAppliedOnce() {
    List<UsageCount> first = List.of(count("scorer", "growth", "k1", 3, 1, NOON));
    UsageLedger.Outcome applied = ledger.add(first, id("server-a", 1), NOON);
    UsageLedger.Outcome repeated = ledger.add(first, id("server-a", 1), NOON.plusSeconds(10));

    assertThat(applied.duplicate()).isFalse();
    assertThat(repeated.duplicate()).isTrue();
    assertThat(repeated.revision()).isEqualTo(applied.revision());
    assertThat(only(ledger.query(allOf(DAY), r -> true).records()).getRequests()).isEqualTo(3);

    List<UsageCount> second = List.of(count("scorer", "growth", "k1", 2, 0, NOON));
    assertThat(ledger.add(second, id("server-a", 2), NOON).duplicate()).isFalse();
    assertThat(ledger.add(first, id("server-a", 1), NOON).duplicate()).isTrue();
    assertThat(ledger.add(first, id("server-b", 1), NOON).duplicate()).isFalse();
    ledger.add(first);
    ledger.add(first);

    UsageRecord record = only(ledger.query(allOf(DAY), r -> true).records());
    assertThat(record.getRequests()).isEqualTo(3 + 2 + 3 + 3 + 3);
    assertThat(record.getFailedRequests()).isEqualTo(4);
  }

  @Test
  void theSameReportSentByTwoClientsAtOnceIsAppliedOnce() throws Exception {
    UsageLedger other = new UsageLedger(open(sameData(stores.get(0))));
    int reports = 20;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int sequence = 1; sequence <= reports; sequence++) {
        List<UsageCount> counts = List.of(count("scorer", "growth", "k1", 1, 0, NOON));
        UsageLedger.ReportId id = id("server-a", sequence);
        Future<UsageLedger.Outcome> a = pool.submit(() -> ledger.add(counts, id, NOON));
        Future<UsageLedger.Outcome> b = pool.submit(() -> other.add(counts, id, NOON));
        assertThat(List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS)))
            .extracting(UsageLedger.Outcome::duplicate)
            .containsExactlyInAnyOrder(true, false);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(only(ledger.query(allOf(DAY), r -> true).records()).getRequests())
        .isEqualTo(reports);
  }

  @Test
  void pruningRemovesDaysBeforeTheFirstKeptAndReportersSilentSinceTheCutOff() {
    for (int day = 0; day < 4; day++) {
      String date = DAY.plusDays(day).toString();
      ledger.add(
          List.of(
              count("scorer", "growth", "k1", 1, 0, NOON).toBuilder().setDay(date).build(),
              count("ranker", "ops", "k2", 1, 0, NOON).toBuilder().setDay(date).build()),
          id("server-" + day, 1),
          NOON.plus(Duration.ofDays(day)));
    }

    int removed = ledger.prune(DAY.plusDays(2), NOON.plus(Duration.ofDays(2)));

    assertThat(removed).isEqualTo(2 * 2 + 2);
    assertThat(
            ledger
                .query(
                    new UsageLedger.Query(DAY, DAY.plusDays(3), null, null, null, 100), r -> true)
                .records())
        .extracting(UsageRecord::getDay)
        .containsExactly("2026-03-03", "2026-03-03", "2026-03-04", "2026-03-04");
    Instant later = NOON.plus(Duration.ofDays(3));
    List<UsageCount> again =
        List.of(
            count("scorer", "growth", "k1", 1, 0, later).toBuilder()
                .setDay(DAY.plusDays(3).toString())
                .build());
    assertThat(ledger.add(again, id("server-2", 1), later).duplicate()).isTrue();
    assertThat(ledger.add(again, id("server-1", 1), later).duplicate())
        .as("a pruned reporter's record is gone")
        .isFalse();
    assertThat(ledger.lastCall("scorer")).contains(later);
    assertThat(ledger.prune(DAY.plusDays(2), NOON.plus(Duration.ofDays(2)))).isZero();
  }

  @Test
  void queriesReadDaysInOrderFilteredAndPaged() {
    for (int day = 0; day < 3; day++) {
      String date = DAY.plusDays(day).toString();
      ledger.add(
          List.of(
              count("scorer", "growth", "k1", 1, 0, NOON).toBuilder().setDay(date).build(),
              count("ranker", "growth", "k1", 1, 0, NOON).toBuilder().setDay(date).build(),
              count("scorer", "ops", "k2", 1, 0, NOON).toBuilder()
                  .setDay(date)
                  .setVersion("")
                  .build()));
    }

    UsageLedger.Query twoDays =
        new UsageLedger.Query(DAY.plusDays(1), DAY.plusDays(2), null, null, null, 100);
    assertThat(ledger.query(twoDays, r -> true).records())
        .extracting(
            r -> r.getDay() + " " + r.getModel() + "@" + r.getVersion() + " " + r.getConsumerTeam())
        .containsExactly(
            "2026-03-02 ranker@1.0.0 growth",
            "2026-03-02 scorer@ ops",
            "2026-03-02 scorer@1.0.0 growth",
            "2026-03-03 ranker@1.0.0 growth",
            "2026-03-03 scorer@ ops",
            "2026-03-03 scorer@1.0.0 growth");
    UsageLedger.Query scorerOfOps =
        new UsageLedger.Query(DAY, DAY.plusDays(2), "scorer", "ops", null, 100);
    assertThat(ledger.query(scorerOfOps, r -> true).records()).hasSize(3);

    List<String> walked = new ArrayList<>();
    String after = null;
    do {
      UsageLedger.Page page =
          ledger.query(
              new UsageLedger.Query(DAY, DAY.plusDays(2), "scorer", null, after, 2), r -> true);
      page.records().forEach(r -> walked.add(r.getDay() + " " + r.getConsumerTeam()));
      after = page.lastKey();
    } while (after != null);
    assertThat(walked)
        .containsExactly(
            "2026-03-01 ops",
            "2026-03-01 growth",
            "2026-03-02 ops",
            "2026-03-02 growth",
            "2026-03-03 ops",
            "2026-03-03 growth");
    assertThat(ledger.query(allOf(DAY), r -> r.getConsumerTeam().equals("ops")).records())
        .singleElement()
        .satisfies(r -> assertThat(r.getModel()).isEqualTo("scorer"));
  }

  private MetadataStore open(MetadataStore store) {
    if (stores.stream().noneMatch(opened -> opened == store)) {
      stores.add(store);
    }
    return store;
  }

  private static UsageLedger.ReportId id(String reporter, long sequence) {
    return new UsageLedger.ReportId(reporter, sequence);
  }

  private static UsageLedger.Query allOf(LocalDate day) {
    return new UsageLedger.Query(day, day, null, null, null, 100);
  }

  private static UsageRecord only(List<UsageRecord> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  static UsageCount count(
      String model, String team, String keyId, long requests, long failed, Instant last) {
    return UsageCount.newBuilder()
        .setDay(DAY.toString())
        .setModel(model)
        .setVersion("1.0.0")
        .setConsumerTeam(team)
        .setKeyId(keyId)
        .setRequests(requests)
        .setFailedRequests(failed)
        .setLastCallTime(
            Timestamp.newBuilder().setSeconds(last.getEpochSecond()).setNanos(last.getNano()))
        .build();
  }
}
