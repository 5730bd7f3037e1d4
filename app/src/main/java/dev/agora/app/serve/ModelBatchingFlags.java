package dev.agora.app.serve;

import dev.agora.inference.batching.ModelBatching;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code --model-batching MODEL=SIZE[,DELAY]} values: a model's own {@code max_batch_size} (0
 * turns batching off for it) and, optionally, its queue delay as an ISO-8601 duration; without a
 * delay the model keeps the server's {@code --max-queue-delay}.
 */
final class ModelBatchingFlags {
  private ModelBatchingFlags() {}

  /**
   * The per-model settings.
   *
   * @throws IllegalArgumentException naming the flag and the value when one cannot be read
   */
  static Map<String, ModelBatching> parse(Map<String, String> values, Duration defaultDelay) {
    Map<String, ModelBatching> byModel = new LinkedHashMap<>();
    values.forEach((model, value) -> byModel.put(model, one(model, value, defaultDelay)));
    return byModel;
  }

  private static ModelBatching one(String model, String value, Duration defaultDelay) {
    String flag = "--model-batching " + model + "=" + value;
    if (model.isBlank()) {
      throw new IllegalArgumentException(flag + ": name the model before '='");
    }
    String[] parts = value.split(",", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(
          flag + ": expected MODEL=SIZE or MODEL=SIZE,DELAY, e.g. wide=32,PT0.002S");
    }
    int size;
    try {
      size = Integer.parseInt(parts[0].strip());
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException(
          flag + ": the max batch size must be a whole number (0 turns batching off)");
    }
    Duration delay = defaultDelay;
    if (parts.length == 2) {
      try {
        delay = Duration.parse(parts[1].strip());
      } catch (DateTimeParseException notADuration) {
        throw new IllegalArgumentException(
            flag + ": the queue delay must be an ISO-8601 duration such as PT0.002S");
      }
    }
    try {
      return new ModelBatching(size, delay);
    } catch (IllegalArgumentException invalid) {
      throw new IllegalArgumentException(flag + ": " + invalid.getMessage(), invalid);
    }
  }
}
