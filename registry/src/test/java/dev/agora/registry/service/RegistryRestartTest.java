package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the registry acknowledged is still there after it closes and reopens. */
class RegistryRestartTest {
  @TempDir Path dataDir;

  @Test
  void modelsVersionsAndArtifactsSurviveARestart() throws Exception {
    RegistryConfig config = RegistryConfig.defaults(dataDir);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    byte[] mlp = TestModels.mlp();
    byte[] int64 = TestModels.int64Model();
    Model modelBefore;
    ModelVersion published;
    ModelVersion draft;
    try (RegistryHarness first = RegistryHarness.start(config, clock)) {
      first.createModel("durable");
      first.upload("durable", "1.0.0", mlp);
      published = first.publish("durable", "1.0.0");
      // Another signature: a breaking change, so a new major version.
      draft = first.upload("durable", "2.0.0", int64);
      modelBefore = model(first);
    }

    try (RegistryHarness second = RegistryHarness.start(config, clock)) {
      assertThat(model(second)).isEqualTo(modelBefore);
      assertThat(modelBefore.getLatestPublishedVersion()).isEqualTo("1.0.0");
      assertThat(second.getVersion("durable", "1.0.0")).isEqualTo(published);
      assertThat(second.getVersion("durable", "2.0.0")).isEqualTo(draft);
      assertThat(
              second
                  .blocking()
                  .listVersions(ListVersionsRequest.newBuilder().setModel("durable").build())
                  .getVersionsList())
          .containsExactly(draft, published);
      assertThat(second.download("durable", "1.0.0")).isEqualTo(mlp);
      assertThat(second.download("durable", "2.0.0")).isEqualTo(int64);

      ModelVersion republished = second.publish("durable", "2.0.0");
      assertThat(republished.getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
      assertThat(republished.getRevision()).isGreaterThan(draft.getRevision());
      assertThat(model(second).getLatestPublishedVersion()).isEqualTo("2.0.0");
    }
  }

  private static Model model(RegistryHarness registry) {
    return registry.blocking().getModel(GetModelRequest.newBuilder().setName("durable").build());
  }
}
