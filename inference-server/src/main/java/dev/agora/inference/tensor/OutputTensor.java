package dev.agora.inference.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model output as a runtime produced it: its concrete shape and a buffer, owned by the caller,
 * holding the flattened, row-major elements in little-endian order.
 */
public record OutputTensor(String name, Datatype datatype, long[] shape, ByteBuffer data) {

  /** Copies the shape. */
  public OutputTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code index}, without copying the shape. */
  public long dim(int index) {
    return shape[index];
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape);
  }
}
