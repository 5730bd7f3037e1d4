package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.inference.batching.ModelBatching;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --model-batching MODEL=SIZE[,DELAY]} values, and the sentences for bad ones. */
class ModelBatchingFlagsTest {
  static final Duration SERVER_DELAY = Duration.ofMillis(1);

  @Test
  void readsASizeAndAnOptionalDelay() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("wide", "32,PT0.002S");
    values.put("ranker", "0");
    values.put("mlp", " 8 ");

    assertThat(ModelBatchingFlags.parse(values, SERVER_DELAY))
        .containsEntry("wide", new ModelBatching(32, Duration.ofMillis(2)))
        .containsEntry("ranker", new ModelBatching(0, SERVER_DELAY))
        .containsEntry("mlp", new ModelBatching(8, SERVER_DELAY));
  }

  @Test
  void badValuesAreNamedWithTheFlag() {
    assertRefused("wide", "many", "--model-batching wide=many", "whole number");
    assertRefused("wide", "32,2ms", "--model-batching wide=32,2ms", "ISO-8601");
    assertRefused("wide", "32,PT1S,x", "--model-batching wide=32,PT1S,x", "MODEL=SIZE");
    assertRefused("wide", "-1", "--model-batching wide=-1", "maxBatchSize");
    assertRefused("wide", "8,PT11S", "--model-batching wide=8,PT11S", "10 s");
    assertRefused(" ", "8", "--model-batching  =8", "name the model");
  }

  private static void assertRefused(String model, String value, String... fragments) {
    assertThatThrownBy(() -> ModelBatchingFlags.parse(Map.of(model, value), SERVER_DELAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(fragments);
  }
}
