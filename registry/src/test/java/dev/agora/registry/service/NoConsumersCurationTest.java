package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CURATION_KIND_NO_CONSUMERS_SINCE}: used recently, used long ago, never used and published
 * long ago, never used and published recently, never published.
 */
class NoConsumersCurationTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry = RegistryHarness.start(RegistryConfig.defaults(dataDir), new MutableClock(START));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @Test
  void listsModelsOnOfferWithoutACallInTheLastDays() {
    publish("used-recently");
    publish("used-long-ago");
    publish("never-used-old");
    report("used-long-ago", START.plus(Duration.ofDays(1)));
    registry.clock.advance(Duration.ofDays(35));
    publish("never-used-new");
    registry.createModel("never-published");
    registry.upload("never-published", "1.0.0", TestModels.mlp());
    report("used-recently", START.plus(Duration.ofDays(34)));
    registry.clock.advance(Duration.ofDays(5));

    // now: day 40; 30 days back is day 10
    assertThat(candidates(30)).containsExactly("never-used-old", "used-long-ago");
    // 50 days back is before anything was published
    assertThat(candidates(50)).isEmpty();
    // 5 days back is day 35: the last call on day 34 is older, and exactly 5 days on offer count
    assertThat(candidates(5))
        .containsExactly("never-used-new", "never-used-old", "used-long-ago", "used-recently");

    report("never-used-old", registry.clock.instant());
    assertThat(candidates(30)).containsExactly("used-long-ago");
  }

  @Test
  void aFailedCallStillCountsAsAConsumer() {
    publish("scorer");
    registry.clock.advance(Duration.ofDays(40));
    assertThat(candidates(30)).containsExactly("scorer");

    UsageServiceGrpc.newBlockingStub(registry.channel(RegistryHarness.ADMIN))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .reportUsage(
            ReportUsageRequest.newBuilder()
                .addCounts(count("scorer", registry.clock.instant()).setFailedRequests(1))
                .build());

    assertThat(candidates(30)).isEmpty();
  }

  private void publish(String model) {
    registry.createModel(model);
    registry.upload(model, "1.0.0", TestModels.mlp());
    registry.publish(model, "1.0.0");
  }

  private void report(String model, Instant at) {
    UsageServiceGrpc.newBlockingStub(registry.channel(RegistryHarness.ADMIN))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .reportUsage(ReportUsageRequest.newBuilder().addCounts(count(model, at)).build());
  }

  private static UsageCount.Builder count(String model, Instant at) {
    return UsageCount.newBuilder()
        .setDay(LocalDate.ofInstant(at, ZoneOffset.UTC).toString())
        .setModel(model)
        .setVersion("1.0.0")
        .setConsumerTeam("growth")
        .setKeyId("k1")
        .setRequests(1)
        .setLastCallTime(
            Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()));
  }

  private List<String> candidates(int days) {
    return registry
        .blocking()
        .listCurationCandidates(
            ListCurationCandidatesRequest.newBuilder()
                .setKind(CurationKind.CURATION_KIND_NO_CONSUMERS_SINCE)
                .setDays(days)
                .build())
        .getModelsList()
        .stream()
        .map(Model::getName)
        .toList();
  }
}
