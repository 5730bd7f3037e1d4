package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight clients uploading the same version at once: the metadata store's compare-and-swap decides.
 * Subclassed per store.
 */
abstract class UploadConcurrencyContract {
  private static final int CLIENTS = 8;

  @TempDir Path dataDir;
  private RegistryHarness registry;

  /** The registry settings of one repetition, with data under {@code dataDir}. */
  protected abstract RegistryConfig config(Path dataDir);

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            config(dataDir).withMaxChunkBytes(2048),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    registry.createModel("contested");
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  /** What one client saw: the recorded version or the failure. */
  record Outcome(ModelVersion version, StatusRuntimeException failure) {}

  @RepeatedTest(3)
  void identicalBytesAllSucceedWithOneRecord() throws Exception {
    byte[] mlp = TestModels.mlp();
    List<Outcome> outcomes = race(i -> () -> registry.upload("contested", "1.0.0", mlp));

    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
    ModelVersion recorded = registry.getVersion("contested", "1.0.0");
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.version()).isEqualTo(recorded));
    assertThat(versionCount()).isEqualTo(1);
    assertThat(registry.storedBlobs()).containsExactly(Artifacts.sha256(mlp));
    assertThat(registry.stagedUploads()).isZero();
  }

  @RepeatedTest(3)
  void differentBytesHaveExactlyOneWinner() throws Exception {
    List<byte[]> artifacts = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      artifacts.add(Artifacts.mlpVariant("client " + i));
    }
    List<Outcome> outcomes =
        race(i -> () -> registry.upload("contested", "1.0.0", artifacts.get(i)));

    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Outcome outcome = outcomes.get(i);
      if (outcome.failure() == null) {
        winners.add(i);
      } else {
        assertThat(outcome.failure().getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(StatusDetails.reason(outcome.failure())).isEqualTo("VERSION_ALREADY_EXISTS");
      }
    }
    assertThat(winners).hasSize(1);
    byte[] winning = artifacts.get(winners.get(0));
    assertThat(registry.getVersion("contested", "1.0.0").getArtifact().getSha256())
        .isEqualTo(Artifacts.sha256(winning));
    assertThat(registry.download("contested", "1.0.0")).isEqualTo(winning);
    assertThat(versionCount()).isEqualTo(1);
    assertThat(registry.storedBlobs()).containsExactly(Artifacts.sha256(winning));
    assertThat(registry.stagedUploads()).isZero();
  }

  private int versionCount() {
    return registry
        .blocking()
        .listVersions(ListVersionsRequest.newBuilder().setModel("contested").build())
        .getVersionsCount();
  }

  private static List<Outcome> race(IntFunction<Callable<ModelVersion>> uploads) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Callable<ModelVersion> upload = uploads.apply(i);
        futures.add(
            clients.submit(
                () -> {
                  start.await();
                  try {
                    return new Outcome(upload.call(), null);
                  } catch (StatusRuntimeException e) {
                    return new Outcome(null, e);
                  }
                }));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      clients.shutdownNow();
    }
  }
}
