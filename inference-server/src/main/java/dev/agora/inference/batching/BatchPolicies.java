package dev.agora.inference.batching;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dynamic batching policy of every model: the server's defaults, and the models configured
 * otherwise. Only models whose inputs and outputs all have a dynamic first dimension are batched at
 * all; this says how.
 */
public final class BatchPolicies {
  private final Optional<BatchPolicy> defaults;
  private final Map<String, Optional<BatchPolicy>> byModel;

  /**
   * Policies.
   *
   * @param defaults how models are batched unless configured otherwise
   * @param byModel the models configured otherwise, by name
   * @param maxInFlight how many executions of one version may run at once
   */
  public BatchPolicies(
      ModelBatching defaults, Map<String, ModelBatching> byModel, int maxInFlight) {
    this.defaults = Optional.ofNullable(defaults.policy(maxInFlight));
    this.byModel =
        byModel.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Map.Entry::getKey,
                    entry -> Optional.ofNullable(entry.getValue().policy(maxInFlight))));
  }

  /** The same policy for every model, or none when {@code policy} is empty; for tests. */
  public static BatchPolicies everyModel(Optional<BatchPolicy> policy) {
    return new BatchPolicies(policy, Map.of());
  }

  private BatchPolicies(
      Optional<BatchPolicy> defaults, Map<String, Optional<BatchPolicy>> byModel) {
    this.defaults = defaults;
    this.byModel = byModel;
  }

  /** How {@code model} is batched, or empty when it is not. */
  public Optional<BatchPolicy> forModel(String model) {
    return byModel.getOrDefault(model, defaults);
  }
}
