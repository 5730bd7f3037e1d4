package dev.agora.inference.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.GatedCatalog;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.inference.fixtures.UnbatchedSchedulers;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.tensor.Datatype;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.testing.models.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {
  @TempDir Path cacheDir;
  final AtomicLong nanos = new AtomicLong();
  final FakeModelCatalog catalog = new FakeModelCatalog();
  ExecutorService loads;
  OnnxModelRuntime runtime;
  ModelRepository repository;

  @BeforeEach
  void setUp() {
    loads = Executors.newFixedThreadPool(2);
    runtime = new OnnxModelRuntime(1, "all");
    repository = repository(catalog);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    repository.close();
    loads.shutdown();
    assertThat(loads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runtime.close();
  }

  @Test
  void latestVersionIsReusedWithinTheTtlAndRefreshedAfterIt() {
    catalog.publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
    assertThat(repository.acquire("mlp", "").published().version()).isEqualTo("1.0.0");

    catalog.publish("mlp", "1.1.0", TestModels.mlp(), TestSignatures.MLP);
    nanos.addAndGet(Duration.ofMillis(1999).toNanos());
    assertThat(repository.resolve("mlp", "").version()).isEqualTo("1.0.0");

    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(repository.acquire("mlp", "").published().version()).isEqualTo("1.1.0");
    assertThat(repository.acquire("mlp", "1.0.0").published().version()).isEqualTo("1.0.0");
    assertThat(repository.statuses())
        .extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.0.0", VersionState.READY),
            org.assertj.core.groups.Tuple.tuple("1.1.0", VersionState.READY));
  }

  @Test
  void concurrentFirstRequestsShareOneLoad() throws Exception {
    catalog.publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
    CountDownLatch release = new CountDownLatch(1);
    repository.close();
    repository = repository(new GatedCatalog(catalog, release));
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<ServableVersion>> results =
          IntStream.range(0, 8)
              .mapToObj(i -> callers.submit(() -> repository.acquire("mlp", "1.0.0")))
              .toList();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  repository
                      .status("mlp", "1.0.0")
                      .map(s -> s.state() == VersionState.LOADING)
                      .orElse(false));
      release.countDown();

      ServableVersion first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<ServableVersion> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(catalog.fetchCount("mlp", "1.0.0")).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void artifactWithWrongDigestIsDeletedAndNeverLoaded() throws Exception {
    catalog.publishWithWrongDigest("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);

    assertReason(() -> repository.acquire("mlp", "1.0.0"), ErrorReason.ARTIFACT_CORRUPTED);

    assertThat(repository.status("mlp", "1.0.0").orElseThrow().state())
        .isEqualTo(VersionState.UNAVAILABLE);
    assertThat(cachedFiles()).isEmpty();
    assertReason(() -> repository.acquire("mlp", "1.0.0"), ErrorReason.ARTIFACT_CORRUPTED);
    assertThat(catalog.fetchCount("mlp", "1.0.0"))
        .as("a corrupt artifact is not refetched")
        .isEqualTo(1);
    assertReason(() -> repository.reload("mlp").join(), ErrorReason.ARTIFACT_CORRUPTED);
    assertThat(catalog.fetchCount("mlp", "1.0.0")).as("an explicit load retries").isEqualTo(2);
  }

  @Test
  void cachedArtifactIsReusedAfterUnloadAndRefetchedWhenDamaged() throws Exception {
    catalog.publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
    repository.acquire("mlp", "1.0.0");
    repository.unload("mlp");
    repository.acquire("mlp", "1.0.0");
    assertThat(catalog.fetchCount("mlp", "1.0.0")).isEqualTo(1);

    repository.unload("mlp");
    Path cached = cachedFiles().get(0);
    assertThat(cached.getFileName().toString())
        .isEqualTo(FakeModelCatalog.sha256(TestModels.mlp()) + ".onnx");
    Files.write(cached, new byte[] {1, 2, 3});

    assertThat(repository.acquire("mlp", "1.0.0").published().version()).isEqualTo("1.0.0");
    assertThat(catalog.fetchCount("mlp", "1.0.0")).isEqualTo(2);
    assertThat(Files.readAllBytes(cached)).isEqualTo(TestModels.mlp());
  }

  @Test
  void unloadClosesTheSessionForLaterRuns() {
    catalog.publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
    ServableVersion servable = repository.acquire("mlp", "");

    repository.unload("mlp");

    assertReason(() -> servable.run(List.of(), List.of("output")), ErrorReason.MODEL_NOT_READY);
    assertThat(repository.status("mlp", "1.0.0")).isEmpty();
    assertThat(repository.acquire("mlp", "")).isNotSameAs(servable);
  }

  @Test
  void artifactsThatDoNotMatchOrCannotRunAreInvalid() {
    catalog
        .publish("wrong-signature", "1.0.0", TestModels.mlp(), TestSignatures.INT64)
        .publish("not-onnx", "1.0.0", new byte[] {1, 2, 3, 4}, TestSignatures.MLP)
        .publish(
            "custom-op",
            "1.0.0",
            TestModels.withCustomOpDomain(),
            TestSignatures.identity(Datatype.FP32));

    for (String model : List.of("wrong-signature", "not-onnx", "custom-op")) {
      assertReason(() -> repository.acquire(model, ""), ErrorReason.INVALID_ARTIFACT);
      assertThat(repository.status(model, "1.0.0").orElseThrow().reason()).isNotBlank();
    }
  }

  @Test
  void preloadLoadsTheLatestPublishedVersionOfEveryModel() {
    catalog
        .publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP)
        .publish("mlp", "1.2.0", TestModels.mlp(), TestSignatures.MLP)
        .publish("int64", "0.1.0", TestModels.int64Model(), TestSignatures.INT64)
        .register("nothing-published");

    repository.preloadPublished();

    assertThat(repository.ready())
        .extracting(s -> s.published().model() + "@" + s.published().version())
        .containsExactlyInAnyOrder("mlp@1.2.0", "int64@0.1.0");
  }

  private ModelRepository repository(ModelCatalog source) {
    return new ModelRepository(
        source,
        runtime,
        UnbatchedSchedulers.on(loads),
        new RepositorySettings(cacheDir, Duration.ofSeconds(2), 1L << 30),
        loads,
        nanos::get);
  }

  private List<Path> cachedFiles() throws Exception {
    Path dir = cacheDir.resolve("sha256");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static void assertReason(Runnable call, ErrorReason reason) {
    assertThatThrownBy(call::run)
        .satisfies(
            thrown -> {
              Throwable failure =
                  thrown instanceof CompletionException ? thrown.getCause() : thrown;
              assertThat(failure)
                  .isInstanceOfSatisfying(
                      AgoraException.class, e -> assertThat(e.reason()).isEqualTo(reason));
            });
  }
}
