package dev.agora.inference.tensor;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The inputs and outputs of a model version, in the order the model declares them. */
public record ModelSignature(List<TensorSignature> inputs, List<TensorSignature> outputs) {

  /** Copies the lists and refuses duplicate names. */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    requireUniqueNames(inputs, "input");
    requireUniqueNames(outputs, "output");
  }

  /** The input called {@code name}. */
  public Optional<TensorSignature> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The output called {@code name}. */
  public Optional<TensorSignature> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * Whether every input and output has a dynamic first dimension, so the model accepts a batch of
   * any size along it.
   */
  public boolean batchable() {
    return !inputs.isEmpty()
        && inputs.stream().allMatch(TensorSignature::leadingDimDynamic)
        && outputs.stream().allMatch(TensorSignature::leadingDimDynamic);
  }

  private static void requireUniqueNames(List<TensorSignature> tensors, String kind) {
    Set<String> seen = new HashSet<>();
    for (TensorSignature tensor : tensors) {
      if (!seen.add(tensor.name())) {
        throw new IllegalArgumentException("duplicate " + kind + " name '" + tensor.name() + "'");
      }
    }
  }
}
