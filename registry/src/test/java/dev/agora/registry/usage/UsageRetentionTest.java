package dev.agora.registry.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention schedule: it prunes at start, keeping what is younger than the retention. */
class UsageRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  @TempDir Path directory;
  MetadataStore store;
  UsageLedger ledger;

  @BeforeEach
  void open() {
    store = EmbeddedMetadataStore.open(directory.resolve("metadata"));
    ledger = new UsageLedger(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void recordsOlderThanTheRetentionAreRemovedWhenItStartsAndYoungerOnesStay() {
    Instant old = NOW.minus(Duration.ofDays(31));
    Instant recent = NOW.minus(Duration.ofDays(29));
    ledger.add(List.of(count(old)), new UsageLedger.ReportId("old-server", 1), old);
    ledger.add(List.of(count(recent)), new UsageLedger.ReportId("new-server", 1), recent);

    try (UsageRetention retention =
        UsageRetention.start(
            store,
            Duration.ofDays(30),
            InstantSource.fixed(NOW),
            Executors.newSingleThreadScheduledExecutor())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.range(UsageKeys.DAYS, null, 10).kvs().size() == 1);
      assertThat(store.range(UsageKeys.DAYS, null, 10).kvs())
          .singleElement()
          .satisfies(kv -> assertThat(UsageKeys.dayOf(kv.key())).isEqualTo(day(recent)));
      assertThat(store.get(UsageKeys.reporter("new-server"))).isPresent();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.get(UsageKeys.reporter("old-server")).isEmpty());
      assertThat(retention.pruneNow()).isZero();
    }
  }

  private static LocalDate day(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  private static UsageCount count(Instant time) {
    return UsageCount.newBuilder()
        .setDay(day(time).toString())
        .setModel("scorer")
        .setVersion("1.0.0")
        .setConsumerTeam("growth")
        .setKeyId("k1")
        .setRequests(1)
        .setLastCallTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()))
        .build();
  }
}
