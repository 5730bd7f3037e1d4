package dev.agora.inference.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated request input ready for a runtime: a concrete shape and a direct buffer holding the
 * flattened, row-major elements in little-endian order (BOOL is one byte, 0 or 1).
 *
 * <p>The tensor takes ownership of the {@code shape} array it is given (one is made per request, so
 * it is not copied again); callers pass an array they do not change afterwards. {@link #shape()}
 * returns a copy.
 */
public record InputTensor(String name, Datatype datatype, long[] shape, ByteBuffer data) {

  /** Checks the components; keeps {@code shape} as given. */
  public InputTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code index}. */
  public long dim(int index) {
    return shape[index];
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape);
  }
}
