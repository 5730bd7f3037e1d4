package dev.agora.inference.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output of a model: its name, datatype and shape, where {@code -1} marks a dynamic
 * dimension. The shape array is copied in and out, so instances are immutable.
 */
public record TensorSignature(String name, Datatype datatype, long[] shape) {

  /** Validates and copies the shape. */
  public TensorSignature {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a tensor needs a name");
    }
    Objects.requireNonNull(datatype, "datatype");
    shape = shape.clone();
    for (long dim : shape) {
      if (dim < -1) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has dimension " + dim + "; only -1 marks a dynamic one");
      }
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code index}, or {@code -1} when it is dynamic. */
  public long dim(int index) {
    return shape[index];
  }

  /** Whether the first dimension exists and is dynamic, so that it can carry a batch. */
  public boolean leadingDimDynamic() {
    return shape.length > 0 && shape[0] == -1;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSignature that
        && name.equals(that.name)
        && datatype == that.datatype
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, datatype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape);
  }
}
