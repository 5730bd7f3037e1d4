package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.inference.InferenceConfig;
import dev.agora.inference.batching.ModelBatching;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code agora serve}'s inference flags set, and what they leave at the defaults. */
class ServeCommandFlagsTest {
  private static final Path DATA = Path.of("/tmp/agora-data");

  @Test
  void everyInferenceFlagReachesTheSettings() {
    InferenceConfig config =
        parse(
            "--inference-threads",
            "3",
            "--execution-threads",
            "2",
            "--intra-op-threads",
            "4",
            "--inter-op-threads",
            "2",
            "--optimization-level",
            "basic",
            "--no-memory-arena",
            "--model-cache-bytes",
            "268435456",
            "--max-tensor-bytes",
            "1048576",
            "--max-batch-size",
            "16",
            "--max-queue-delay",
            "PT0.001S",
            "--model-batching",
            "wide=128,PT0.002S");

    assertThat(config.cacheDir()).isEqualTo(DATA.resolve("inference-cache"));
    assertThat(config.inferenceThreads()).isEqualTo(3);
    assertThat(config.executionThreads()).isEqualTo(2);
    assertThat(config.sessionSettings().intraOpThreads()).isEqualTo(4);
    assertThat(config.sessionSettings().interOpThreads()).isEqualTo(2);
    assertThat(config.optimizationLevel()).isEqualTo("basic");
    assertThat(config.memoryArena()).isFalse();
    assertThat(config.modelCacheBytes()).isEqualTo(256L << 20);
    assertThat(config.maxTensorBytes()).isEqualTo(1L << 20);
    assertThat(config.maxBatchSize()).isEqualTo(16);
    assertThat(config.maxQueueDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(config.modelBatching())
        .containsExactly(Map.entry("wide", new ModelBatching(128, Duration.ofMillis(2))));
  }

  @Test
  void withoutFlagsTheInferenceDefaultsHold() {
    InferenceConfig config = parse();
    InferenceConfig defaults = InferenceConfig.defaults(DATA.resolve("inference-cache"));

    assertThat(config.inferenceThreads()).isEqualTo(defaults.inferenceThreads());
    assertThat(config.executionThreads()).isEqualTo(defaults.executionThreads());
    assertThat(config.sessionSettings()).isEqualTo(defaults.sessionSettings());
    assertThat(config.memoryArena()).isTrue();
    assertThat(config.modelCacheBytes()).isEqualTo(defaults.modelCacheBytes());
    assertThat(config.maxTensorBytes()).isEqualTo(defaults.maxTensorBytes());
    assertThat(config.maxBatchSize()).isEqualTo(defaults.maxBatchSize());
    assertThat(config.maxQueueDelay()).isEqualTo(defaults.maxQueueDelay());
    assertThat(config.modelBatching()).isEmpty();
  }

  @Test
  void aBadValueIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> parse("--execution-threads", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executionThreads");
    assertThatThrownBy(() -> parse("--model-cache-bytes", "1024"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modelCacheBytes");
  }

  private static InferenceConfig parse(String... flags) {
    ServeCommand serve = new ServeCommand();
    String[] args = new String[flags.length + 2];
    args[0] = "--data-dir";
    args[1] = DATA.toString();
    System.arraycopy(flags, 0, args, 2, flags.length);
    new CommandLine(serve).parseArgs(args);
    return serve.inferenceConfig();
  }
}
