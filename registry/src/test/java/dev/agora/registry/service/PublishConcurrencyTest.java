package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishes of different versions race on the model record; none may be lost. */
class PublishConcurrencyTest {
  @TempDir Path dataDir;

  @Test
  void concurrentPublishesAllLandAndTheHighestWins() throws Exception {
    try (RegistryHarness registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))) {
      registry.createModel("busy");
      byte[] mlp = TestModels.mlp();
      List<String> versions = new ArrayList<>();
      for (int minor = 0; minor < 8; minor++) {
        versions.add("1." + minor + ".0");
        registry.upload("busy", "1." + minor + ".0", mlp);
      }

      ExecutorService publishers = Executors.newFixedThreadPool(versions.size());
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Stage>> stages = new ArrayList<>();
        for (String version : versions) {
          stages.add(
              publishers.submit(
                  () -> {
                    start.await();
                    return registry.publish("busy", version).getStage();
                  }));
        }
        start.countDown();
        for (Future<Stage> stage : stages) {
          assertThat(stage.get(60, TimeUnit.SECONDS)).isEqualTo(Stage.STAGE_PUBLISHED);
        }
      } finally {
        publishers.shutdownNow();
      }

      assertThat(
              registry
                  .blocking()
                  .getModel(GetModelRequest.newBuilder().setName("busy").build())
                  .getLatestPublishedVersion())
          .isEqualTo("1.7.0");
      for (String version : versions) {
        assertThat(registry.getVersion("busy", version).getStage())
            .isEqualTo(Stage.STAGE_PUBLISHED);
      }
    }
  }
}
