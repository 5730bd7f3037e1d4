package dev.agora.registry.artifact;

import java.util.List;
import java.util.Objects;

/**
 * One input or output of a model.
 *
 * @param name the tensor name
 * @param datatype the Open Inference Protocol datatype: BOOL, UINT8, UINT16, UINT32, UINT64, INT8,
 *     INT16, INT32, INT64, FP16, FP32, FP64, BF16 or BYTES
 * @param shape the dimensions, -1 for a dynamic or symbolic one
 */
public record TensorSignature(String name, String datatype, List<Long> shape) {

  /** Checks the fields and copies the shape. */
  public TensorSignature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    shape = List.copyOf(shape);
    for (long dimension : shape) {
      if (dimension < -1) {
        throw new IllegalArgumentException("a dimension is -1 or more, got " + dimension);
      }
    }
  }
}
