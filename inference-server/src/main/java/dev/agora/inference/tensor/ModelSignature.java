package dev.agora.inference.tensor;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs and outputs of a model version, in the order the model declares them. Immutable; what
 * the request path asks on every call (lookups by name, whether the model batches, the names of all
 * outputs) is answered without allocating.
 */
public final class ModelSignature {
  private final List<TensorSignature> inputs;
  private final List<TensorSignature> outputs;
  private final List<String> outputNames;
  private final boolean batchable;

  /** Copies the lists and refuses duplicate names. */
  public ModelSignature(List<TensorSignature> inputs, List<TensorSignature> outputs) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    requireUniqueNames(this.inputs, "input");
    requireUniqueNames(this.outputs, "output");
    this.outputNames = this.outputs.stream().map(TensorSignature::name).toList();
    this.batchable =
        !this.inputs.isEmpty()
            && this.inputs.stream().allMatch(TensorSignature::leadingDimDynamic)
            && this.outputs.stream().allMatch(TensorSignature::leadingDimDynamic);
  }

  /** The inputs, in the model's order. */
  public List<TensorSignature> inputs() {
    return inputs;
  }

  /** The outputs, in the model's order. */
  public List<TensorSignature> outputs() {
    return outputs;
  }

  /** The names of the outputs, in the model's order. */
  public List<String> outputNames() {
    return outputNames;
  }

  /** The input called {@code name}. */
  public Optional<TensorSignature> input(String name) {
    int index = inputIndex(name);
    return index < 0 ? Optional.empty() : Optional.of(inputs.get(index));
  }

  /** The position of the input called {@code name}, or -1 when there is none. */
  public int inputIndex(String name) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The output called {@code name}. */
  public Optional<TensorSignature> output(String name) {
    for (TensorSignature output : outputs) {
      if (output.name().equals(name)) {
        return Optional.of(output);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether every input and output has a dynamic first dimension, so the model accepts a batch of
   * any size along it.
   */
  public boolean batchable() {
    return batchable;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ModelSignature that
        && inputs.equals(that.inputs)
        && outputs.equals(that.outputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, outputs);
  }

  @Override
  public String toString() {
    return "ModelSignature[inputs=" + inputs + ", outputs=" + outputs + "]";
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
