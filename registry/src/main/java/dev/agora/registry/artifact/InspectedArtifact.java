package dev.agora.registry.artifact;

import java.util.List;
import java.util.Objects;

/**
 * What inspection learned about an artifact.
 *
 * @param format the artifact format, {@code onnx}
 * @param opset the default-domain operator set version the model imports
 * @param producerName the tool that wrote the model, empty when unrecorded
 * @param inputs the model's inputs in declaration order
 * @param outputs the model's outputs in declaration order
 */
public record InspectedArtifact(
    String format,
    long opset,
    String producerName,
    List<TensorSignature> inputs,
    List<TensorSignature> outputs) {

  /** Checks the fields and copies the lists. */
  public InspectedArtifact {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(producerName, "producerName");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
