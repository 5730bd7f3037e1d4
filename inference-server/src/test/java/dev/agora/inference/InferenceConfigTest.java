package dev.agora.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.inference.batching.BatchPolicies;
import dev.agora.inference.batching.ModelBatching;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {
  final Path dir = Path.of("cache");

  @Test
  void defaultsAreDocumented() {
    InferenceConfig config = InferenceConfig.defaults(dir);

    assertThat(config.cacheDir()).isEqualTo(dir);
    assertThat(config.serverVersion()).isEqualTo(InferenceConfig.DEFAULT_SERVER_VERSION);
    assertThat(config.maxBatchSize()).isEqualTo(64);
    assertThat(config.inferenceThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.intraOpThreads()).isEqualTo(1);
    assertThat(config.optimizationLevel()).isEqualTo("all");
    assertThat(config.latestVersionTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.maxTensorBytes()).isEqualTo(64L << 20);
    assertThat(config.executionThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.interOpThreads()).isEqualTo(1);
    assertThat(config.memoryArena()).isTrue();
    assertThat(config.maxQueueDelay()).isZero();
    assertThat(config.modelCacheBytes()).isEqualTo(InferenceConfig.defaultModelCacheBytes());
    assertThat(config.modelCacheBytes()).isGreaterThanOrEqualTo(1L << 20);
    assertThat(config.batchPolicies().forModel("any"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.maxBatchSize()).isEqualTo(64);
              assertThat(p.maxQueueDelayNanos()).isZero();
              assertThat(p.maxInFlight()).isEqualTo(config.executionThreads());
            });
  }

  @Test
  void refusesInvalidServingSettings() {
    InferenceConfig base = InferenceConfig.defaults(dir);
    assertInvalid(() -> base.withExecutionThreads(0), "executionThreads");
    assertInvalid(() -> base.withBatching(8, Duration.ofNanos(-1)), "maxQueueDelay");
    assertInvalid(() -> base.withBatching(8, Duration.ofSeconds(11)), "maxQueueDelay");
    assertInvalid(() -> base.withModelCacheBytes(1024), "modelCacheBytes");
    assertInvalid(
        () ->
            new InferenceConfig(
                dir,
                "1",
                64,
                1,
                1,
                "all",
                Duration.ZERO,
                1,
                1,
                0,
                true,
                Duration.ZERO,
                1L << 30,
                Map.of()),
        "interOpThreads");
  }

  @Test
  void zeroMaxBatchSizeTurnsBatchingOff() {
    InferenceConfig config = InferenceConfig.defaults(dir).withBatching(0, Duration.ZERO);
    assertThat(config.batchPolicies().forModel("mlp")).isEmpty();
    assertThat(
            InferenceConfig.defaults(dir)
                .withBatching(16, Duration.ofNanos(2500))
                .batchPolicies()
                .forModel("mlp"))
        .hasValueSatisfying(p -> assertThat(p.maxQueueDelayMicros()).isEqualTo(2));
  }

  @Test
  void aModelConfiguredOtherwiseGetsItsOwnPolicyOrNone() {
    InferenceConfig config =
        InferenceConfig.defaults(dir)
            .withBatching(16, Duration.ZERO)
            .withModelBatching(
                Map.of(
                    "wide", new ModelBatching(32, Duration.ofMillis(2)),
                    "ranker", new ModelBatching(0, Duration.ZERO)));
    BatchPolicies policies = config.batchPolicies();
    assertThat(policies.forModel("wide"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.maxBatchSize()).isEqualTo(32);
              assertThat(p.maxQueueDelayMicros()).isEqualTo(2000);
              assertThat(p.maxInFlight()).isEqualTo(config.executionThreads());
            });
    assertThat(policies.forModel("ranker")).as("batching off for this model").isEmpty();
    assertThat(policies.forModel("mlp"))
        .hasValueSatisfying(p -> assertThat(p.maxBatchSize()).isEqualTo(16));
    assertInvalid(
        () -> config.withModelBatching(Map.of("wide", new ModelBatching(-1, Duration.ZERO))),
        "maxBatchSize");
    assertInvalid(
        () ->
            config.withModelBatching(Map.of("wide", new ModelBatching(8, Duration.ofSeconds(11)))),
        "maxQueueDelay");
  }

  @Test
  void refusesInvalidSettings() {
    assertInvalid(() -> with(null, "1", 64, 1, 1, "all", Duration.ZERO, 1), "cacheDir");
    assertInvalid(() -> with(dir, " ", 64, 1, 1, "all", Duration.ZERO, 1), "serverVersion");
    assertInvalid(() -> with(dir, "1", -1, 1, 1, "all", Duration.ZERO, 1), "maxBatchSize");
    assertInvalid(() -> with(dir, "1", 64, 0, 1, "all", Duration.ZERO, 1), "inferenceThreads");
    assertInvalid(() -> with(dir, "1", 64, 1, -1, "all", Duration.ZERO, 1), "intraOpThreads");
    assertInvalid(() -> with(dir, "1", 64, 1, 1, "fast", Duration.ZERO, 1), "optimizationLevel");
    assertInvalid(
        () -> with(dir, "1", 64, 1, 1, "all", Duration.ofSeconds(-1), 1), "latestVersionTtl");
    assertInvalid(() -> with(dir, "1", 64, 1, 1, "all", Duration.ZERO, 0), "maxTensorBytes");
    assertInvalid(() -> with(dir, "1", 64, 1, 1, "all", Duration.ZERO, 1L << 31), "maxTensorBytes");
  }

  @Test
  void acceptsEdgeValues() {
    InferenceConfig config = with(dir, "1", 0, 1, 0, "NONE", Duration.ZERO, Integer.MAX_VALUE);
    assertThat(config.maxBatchSize()).isZero();
    assertThat(config.intraOpThreads()).isZero();
  }

  private static InferenceConfig with(
      Path dir,
      String version,
      int maxBatch,
      int threads,
      int intraOp,
      String level,
      Duration ttl,
      long maxTensorBytes) {
    return new InferenceConfig(
        dir, version, maxBatch, threads, intraOp, level, ttl, maxTensorBytes);
  }

  private static void assertInvalid(Runnable construct, String setting) {
    assertThatThrownBy(construct::run)
        .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
        .hasMessageContaining(setting);
  }

  @Test
  void aBuilderStartsFromTheSettingsAndValidatesWhatItBuilds() {
    InferenceConfig defaults = InferenceConfig.defaults(Path.of("cache"));

    assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
    assertThat(InferenceConfig.builder(Path.of("cache")).build()).isEqualTo(defaults);
    InferenceConfig changed = defaults.toBuilder().interOpThreads(3).memoryArena(false).build();
    assertThat(changed.interOpThreads()).isEqualTo(3);
    assertThat(changed.memoryArena()).isFalse();
    assertThat(changed.withExecutionThreads(5))
        .isEqualTo(changed.toBuilder().executionThreads(5).build());
    assertThatThrownBy(() -> defaults.toBuilder().maxTensorBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTensorBytes");
  }
}
