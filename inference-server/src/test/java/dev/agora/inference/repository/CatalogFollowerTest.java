package dev.agora.inference.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.CatalogListener;
import dev.agora.inference.catalog.Deprecation;
import dev.agora.inference.catalog.Retirement;
import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.GatedCatalog;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.inference.fixtures.UnbatchedSchedulers;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.testing.models.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository following catalog changes, driven through the {@link CatalogListener} it registers
 * (the SPI boundary), with real ONNX Runtime loads.
 */
class CatalogFollowerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path cacheDir;
  final AtomicLong nanos = new AtomicLong();
  final FakeModelCatalog catalog = new FakeModelCatalog();
  final GatedCatalog gated = new GatedCatalog(catalog);
  final AtomicReference<CatalogListener> feed = new AtomicReference<>();
  ExecutorService loads;
  OnnxModelRuntime runtime;
  ModelRepository repository;
  AutoCloseable following;

  @BeforeEach
  void setUp() {
    loads = Executors.newFixedThreadPool(2);
    runtime = new OnnxModelRuntime(1, "all");
    repository =
        new ModelRepository(
            gated,
            runtime,
            UnbatchedSchedulers.on(loads),
            new RepositorySettings(cacheDir, Duration.ofSeconds(2), 1L << 30),
            loads,
            nanos::get);
    following =
        repository.follow(
            listener -> {
              feed.set(listener);
              return () -> feed.set(null);
            });
    feed.get().following();
    catalog.publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
  }

  @AfterEach
  void tearDown() throws Exception {
    following.close();
    repository.close();
    loads.shutdown();
    assertThat(loads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runtime.close();
  }

  @Test
  void followingCompletesTheStartFuture() {
    assertThat(repository.following()).isCompleted();
  }

  @Test
  void requestsMoveToANewLatestOnlyOnceItServes() {
    assertThat(repository.acquire("mlp", "").published().version()).isEqualTo("1.0.0");
    CountDownLatch download = gated.hold("1.1.0");
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);

    feed.get().latestChanged("mlp", "1.1.0");

    await().atMost(WAIT).until(() -> state("1.1.0") == VersionState.LOADING);
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    download.countDown();
    await().atMost(WAIT).until(() -> repository.resolve("mlp", "").version().equals("1.1.0"));
    assertThat(state("1.1.0")).isEqualTo(VersionState.READY);
    assertThat(repository.acquire("mlp", "1.0.0").published().version()).isEqualTo("1.0.0");
  }

  @Test
  void pointersFollowTheFeedWithoutExpiring() {
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);

    nanos.addAndGet(Duration.ofHours(1).toNanos());

    // Without an event the pointer stays: the feed, not a timer, says when "latest" moves.
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    assertThat(repository.resolve("mlp", "latest").version()).isEqualTo("1.0.0");
  }

  @Test
  void aVersionThatFailsItsWarmUpNeverTakesTraffic() {
    assertThat(repository.acquire("mlp", "").published().version()).isEqualTo("1.0.0");
    catalog.publish("mlp", "1.1.0", TestModels.failsAtRunTime(), TestSignatures.MLP);

    feed.get().latestChanged("mlp", "1.1.0");

    await().atMost(WAIT).until(() -> state("1.1.0") == VersionState.UNAVAILABLE);
    assertThat(repository.status("mlp", "1.1.0").orElseThrow().reason())
        .contains("warm-up")
        .contains("1.1.0");
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    assertThat(repository.acquire("mlp", "").published().version()).isEqualTo("1.0.0");
  }

  @Test
  void aliasesResolveThroughTheCatalogAndMoveOnlyToServingVersions() {
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);
    catalog.alias("mlp", "stable", "1.0.0");
    assertThat(repository.acquire("mlp", "stable").published().version()).isEqualTo("1.0.0");
    CountDownLatch download = gated.hold("1.1.0");

    catalog.alias("mlp", "stable", "1.1.0");
    feed.get().aliasMoved("mlp", "stable", "1.1.0");

    await().atMost(WAIT).until(() -> state("1.1.0") == VersionState.LOADING);
    assertThat(repository.resolve("mlp", "stable").version()).isEqualTo("1.0.0");
    download.countDown();
    await().atMost(WAIT).until(() -> repository.resolve("mlp", "stable").version().equals("1.1.0"));
  }

  @Test
  void anUnusedAliasMovesAtOnceAndADeletedOneIsAskedForAgain() {
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);

    feed.get().aliasMoved("mlp", "canary", "1.1.0");
    assertThat(repository.resolve("mlp", "canary").version()).isEqualTo("1.1.0");

    feed.get().aliasDeleted("mlp", "canary");
    AgoraException missing =
        catchThrowableOfType(AgoraException.class, () -> repository.resolve("mlp", "canary"));
    assertThat(missing.reason()).isEqualTo(ErrorReason.ALIAS_NOT_FOUND);
    assertThat(repository.resolve("mlp", "1.0.0").version()).isEqualTo("1.0.0");
  }

  @Test
  void aDeprecatedVersionCarriesItsNotice() {
    repository.acquire("mlp", "1.0.0");
    assertThat(repository.deprecation("mlp", "1.0.0")).isNull();
    Deprecation notice =
        new Deprecation("mlp", "1.0.0", Instant.parse("2027-01-31T00:00:00Z"), "1.1.0");

    feed.get().deprecated(notice);

    assertThat(repository.deprecation("mlp", "1.0.0")).isEqualTo(notice);
    assertThat(notice.warning())
        .isEqualTo(
            "Version '1.0.0' of model 'mlp' is deprecated and will be retired at"
                + " 2027-01-31T00:00:00Z; move to version 1.1.0.");
    assertThat(repository.acquire("mlp", "1.0.0").published().version()).isEqualTo("1.0.0");
  }

  @Test
  void aDeprecationReportedByTheCatalogIsKnownWithoutAnEvent() {
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);
    catalog.deprecate(new Deprecation("mlp", "1.1.0", null, ""));

    repository.acquire("mlp", "1.1.0");

    assertThat(repository.deprecation("mlp", "1.1.0").warning())
        .isEqualTo("Version '1.1.0' of model 'mlp' is deprecated.");
  }

  @Test
  void aRetiredVersionIsRefusedNamingItsSuccessorAndUnloaded() {
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);
    ServableVersion old = repository.acquire("mlp", "1.0.0");

    feed.get().retired(new Retirement("mlp", "1.0.0", "1.1.0"));

    AgoraException refused =
        catchThrowableOfType(AgoraException.class, () -> repository.retain("mlp", "1.0.0"));
    assertThat(refused.reason()).isEqualTo(ErrorReason.LIFECYCLE_VIOLATION);
    assertThat(refused.getMessage()).contains("1.1.0");
    assertThat(refused.metadata()).containsEntry("successor_version", "1.1.0");
    assertThat(refused.preconditionViolations())
        .extracting(AgoraException.PreconditionViolation::type)
        .containsExactly("VERSION_RETIRED");
    await().atMost(WAIT).until(old::isClosed);
    assertThat(state("1.0.0")).isEqualTo(VersionState.UNAVAILABLE);
    assertThat(repository.acquire("mlp", "1.1.0").published().version()).isEqualTo("1.1.0");
  }

  @Test
  void afterMissedChangesEverythingIsAskedForAgain() {
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    repository.acquire("mlp", "1.0.0");
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);
    catalog.deprecate(new Deprecation("mlp", "1.0.0", null, "1.1.0"));

    feed.get().resynced();

    await().atMost(WAIT).until(() -> repository.resolve("mlp", "").version().equals("1.1.0"));
    await().atMost(WAIT).until(() -> repository.deprecation("mlp", "1.0.0") != null);
    assertThat(state("1.1.0")).isEqualTo(VersionState.READY);
  }

  @Test
  void whenTheFeedStopsPointersExpireAgain() {
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");
    catalog.publish("mlp", "1.1.0", TestModels.mlpRelease(2), TestSignatures.MLP);

    feed.get().stopped("the key was revoked");
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());

    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.1.0");
  }

  @Test
  void aDeletedModelIsUnloaded() {
    ServableVersion loaded = repository.acquire("mlp", "1.0.0");

    feed.get().modelDeleted("mlp");

    await().atMost(WAIT).until(loaded::isClosed);
    assertThat(repository.status("mlp", "1.0.0")).isEmpty();
  }

  private VersionState state(String version) {
    return repository.status("mlp", version).map(VersionStatus::state).orElse(null);
  }
}
