package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasHistoryEntry;
import dev.agora.proto.registry.v1.DeleteAliasRequest;
import dev.agora.proto.registry.v1.GetAliasHistoryRequest;
import dev.agora.proto.registry.v1.GetAliasHistoryResponse;
import dev.agora.proto.registry.v1.GetAliasRequest;
import dev.agora.proto.registry.v1.ListAliasesRequest;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aliases over gRPC: a scripted sequence of moves, then history queries at several times. */
class AliasServiceTest {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final String MODEL = "ranker";

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry = RegistryHarness.start(RegistryConfig.defaults(dataDir), new MutableClock(T0));
    registry.createModel(MODEL);
    registry.upload(MODEL, "1.0.0", TestModels.mlp());
    registry.publish(MODEL, "1.0.0");
    registry.upload(MODEL, "1.1.0", Artifacts.mlpVariant("1.1.0"));
    registry.publish(MODEL, "1.1.0");
    registry.upload(MODEL, "1.2.0", Artifacts.mlpVariant("1.2.0"));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  /** Moves the clock to {@code T0 + hours} and returns that instant. */
  private Instant at(int hours) {
    Instant target = T0.plus(Duration.ofHours(hours));
    registry.clock.advance(Duration.between(registry.clock.instant(), target));
    return target;
  }

  private Alias set(String caller, String alias, String version) {
    return registry
        .aliasesAs(caller)
        .setAlias(
            SetAliasRequest.newBuilder()
                .setModel(MODEL)
                .setAlias(alias)
                .setVersion(version)
                .build());
  }

  private AliasHistoryEntry delete(String caller, String alias) {
    return registry
        .aliasesAs(caller)
        .deleteAlias(DeleteAliasRequest.newBuilder().setModel(MODEL).setAlias(alias).build())
        .getEntry();
  }

  private List<AliasHistoryEntry> historyAt(String alias, Instant time) {
    return registry
        .aliases()
        .getAliasHistory(
            GetAliasHistoryRequest.newBuilder()
                .setModel(MODEL)
                .setAlias(alias)
                .setAtTime(timestamp(time))
                .build())
        .getEntriesList();
  }

  @Test
  void historyAnswersWhatAnAliasPointedToAtAnyTime() {
    Instant created = at(1);
    Alias first = set("alice", "stable", "1.0.0");
    at(2);
    set("bob", "canary", "1.1.0");
    Instant promoted = at(3);
    Alias moved = set("carol", "stable", "1.1.0");
    at(4);
    assertThat(set("carol", "stable", "1.1.0")).isEqualTo(moved);
    Instant removed = at(5);
    AliasHistoryEntry removal = delete("dave", "stable");
    Instant restored = at(6);
    set("erin", "stable", "1.0.0");

    assertThat(first.getRevision()).isPositive();
    assertThat(moved.getRevision()).isGreaterThan(first.getRevision());
    assertThat(removal.getRevision()).isGreaterThan(moved.getRevision());
    assertThat(removal.getToVersion()).isEmpty();

    List<AliasHistoryEntry> all = history("stable", 0);
    assertThat(all)
        .extracting(
            AliasHistoryEntry::getSequence,
            AliasHistoryEntry::getFromVersion,
            AliasHistoryEntry::getToVersion,
            AliasHistoryEntry::getActor,
            AliasHistoryEntry::getTime)
        .containsExactly(
            row(4, "", "1.0.0", "erin", restored),
            row(3, "1.1.0", "", "dave", removed),
            row(2, "1.0.0", "1.1.0", "carol", promoted),
            row(1, "", "1.0.0", "alice", created));
    assertThat(history("stable", 3)).isEqualTo(all);

    assertThat(historyAt("stable", T0)).isEmpty();
    assertThat(historyAt("stable", created))
        .extracting(AliasHistoryEntry::getSequence)
        .containsExactly(1L);
    assertThat(historyAt("stable", created.plusSeconds(1800)))
        .extracting(AliasHistoryEntry::getToVersion)
        .containsExactly("1.0.0");
    assertThat(historyAt("stable", promoted.plusSeconds(1)))
        .extracting(AliasHistoryEntry::getToVersion)
        .containsExactly("1.1.0");
    assertThat(historyAt("stable", removed.plusSeconds(60)))
        .singleElement()
        .satisfies(entry -> assertThat(entry.getToVersion()).isEmpty());
    assertThat(historyAt("stable", restored.plus(Duration.ofDays(30))))
        .extracting(AliasHistoryEntry::getActor)
        .containsExactly("erin");
    assertThat(historyAt("canary", promoted))
        .extracting(AliasHistoryEntry::getToVersion)
        .containsExactly("1.1.0");
    assertThat(historyAt("canary", created)).isEmpty();

    Alias stable = get("stable");
    assertThat(stable.getVersion()).isEqualTo("1.0.0");
    assertThat(stable.getUpdatedBy()).isEqualTo("erin");
    assertThat(stable.getUpdateTime()).isEqualTo(timestamp(restored));
  }

  private static org.assertj.core.groups.Tuple row(
      long sequence, String from, String to, String actor, Instant time) {
    return org.assertj.core.groups.Tuple.tuple(sequence, from, to, actor, timestamp(time));
  }

  /** The whole history, newest first, read in pages of {@code pageSize} (0: one page). */
  private List<AliasHistoryEntry> history(String alias, int pageSize) {
    List<AliasHistoryEntry> entries = new ArrayList<>();
    String token = "";
    do {
      GetAliasHistoryResponse page =
          registry
              .aliases()
              .getAliasHistory(
                  GetAliasHistoryRequest.newBuilder()
                      .setModel(MODEL)
                      .setAlias(alias)
                      .setPageSize(pageSize)
                      .setPageToken(token)
                      .build());
      if (pageSize > 0) {
        assertThat(page.getEntriesCount()).isLessThanOrEqualTo(pageSize);
      }
      entries.addAll(page.getEntriesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return entries;
  }

  private Alias get(String alias) {
    return registry
        .aliases()
        .getAlias(GetAliasRequest.newBuilder().setModel(MODEL).setAlias(alias).build());
  }

  @Test
  void latestIsComputedAndListedFirst() {
    set("alice", "stable", "1.0.0");
    set("alice", "canary", "1.1.0");

    Alias latest = get("latest");
    assertThat(latest.getVersion()).isEqualTo("1.1.0");
    assertThat(latest.getComputed()).isTrue();
    assertThat(
            registry
                .aliases()
                .listAliases(ListAliasesRequest.newBuilder().setModel(MODEL).build())
                .getAliasesList())
        .extracting(Alias::getAlias, Alias::getVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("latest", "1.1.0"),
            org.assertj.core.groups.Tuple.tuple("canary", "1.1.0"),
            org.assertj.core.groups.Tuple.tuple("stable", "1.0.0"));
  }

  @Test
  void aliasesPointOnlyAtPublishedVersions() {
    StatusRuntimeException refused =
        assertFailure(
            () -> set("alice", "stable", "1.2.0"),
            Status.Code.FAILED_PRECONDITION,
            "LIFECYCLE_VIOLATION");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolationsList())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.getType()).isEqualTo("ALIAS_TARGET_PUBLISHED");
              assertThat(violation.getSubject()).isEqualTo("models/ranker/versions/1.2.0");
            });
    assertFailure(() -> get("stable"), Status.Code.NOT_FOUND, "ALIAS_NOT_FOUND");

    assertThat(set("alice", "stable", "1.1.0").getVersion()).isEqualTo("1.1.0");
  }

  @Test
  void malformedReservedAndUnknownNamesAreRefused() {
    assertThat(
            StatusDetails.violatedFields(
                assertFailure(
                    () -> set("alice", "latest", "1.0.0"),
                    Status.Code.INVALID_ARGUMENT,
                    "INVALID_FIELD")))
        .containsExactly("alias");
    assertFailure(
        () -> set("alice", "Stable", "1.0.0"), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");
    assertFailure(
        () -> set("alice", "stable", "1.0"), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");
    assertFailure(
        () -> set("alice", "stable", "9.9.9"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertFailure(() -> get("nightly"), Status.Code.NOT_FOUND, "ALIAS_NOT_FOUND");
    assertFailure(() -> delete("alice", "nightly"), Status.Code.NOT_FOUND, "ALIAS_NOT_FOUND");
    assertFailure(() -> delete("alice", "latest"), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");
    assertFailure(
        () ->
            registry
                .aliases()
                .getAlias(
                    GetAliasRequest.newBuilder().setModel("absent").setAlias("stable").build()),
        Status.Code.NOT_FOUND,
        "MODEL_NOT_FOUND");
    assertFailure(() -> historyAt("latest", T0), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");

    assertThat(set("alice", "stable", "1.0.0").getVersion()).isEqualTo("1.0.0");
  }

  @Test
  void anExpectedRevisionMakesAMoveACompareAndSet() {
    Alias first = set("alice", "stable", "1.0.0");
    SetAliasRequest.Builder promote =
        SetAliasRequest.newBuilder().setModel(MODEL).setAlias("stable").setVersion("1.1.0");

    assertFailure(
        () ->
            registry
                .aliases()
                .setAlias(promote.setExpectedRevision(first.getRevision() + 100).build()),
        Status.Code.ABORTED,
        "CONFLICT");
    assertThat(get("stable").getVersion()).isEqualTo("1.0.0");

    Alias moved =
        registry.aliases().setAlias(promote.setExpectedRevision(first.getRevision()).build());
    assertThat(moved.getVersion()).isEqualTo("1.1.0");
    assertThat(history("stable", 0)).hasSize(2);
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
