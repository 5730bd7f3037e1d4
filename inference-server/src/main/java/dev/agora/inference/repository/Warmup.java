package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a freshly opened model once before it serves, so that its first real request does not pay
 * for the engine's lazy initialisation, and so that a model that opens but cannot run is marked
 * unavailable with the reason instead of failing its callers. The warm-up request has every dynamic
 * dimension set to 1 and every element zero (for BYTES, empty strings: a zero length prefix).
 */
final class Warmup {
  private Warmup() {}

  /**
   * Runs {@code model} on zeros.
   *
   * @throws AgoraException {@code MODEL_NOT_READY} naming the version and the engine's reason
   */
  static void run(PublishedVersion version, LoadedModel model) {
    ModelSignature signature = model.signature();
    List<InputTensor> inputs = new ArrayList<>(signature.inputs().size());
    for (TensorSignature input : signature.inputs()) {
      long[] shape = input.shape();
      long elements = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 0 ? 1 : shape[i];
        elements = Math.multiplyExact(elements, shape[i]);
      }
      int elementBytes =
          input.datatype().fixedSize() ? input.datatype().elementBytes() : Integer.BYTES;
      ByteBuffer zeros =
          ByteBuffer.allocateDirect(Math.toIntExact(Math.multiplyExact(elements, elementBytes)))
              .order(ByteOrder.LITTLE_ENDIAN);
      inputs.add(new InputTensor(input.name(), input.datatype(), shape, zeros));
    }
    List<String> outputs = signature.outputNames();
    try {
      model.run(inputs, outputs);
    } catch (RuntimeException failure) {
      throw AgoraException.builder(
              ErrorReason.MODEL_NOT_READY,
              version.label()
                  + " opened but failed its warm-up run (every dynamic dimension 1, zero inputs),"
                  + " so it is not served: "
                  + failure.getMessage())
          .cause(failure)
          .build();
    }
  }
}
