package dev.agora.registry.service;

import dev.agora.proto.registry.v1.Artifact;
import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.TensorSpec;
import dev.agora.registry.artifact.InspectedArtifact;
import dev.agora.registry.artifact.TensorSignature;
import dev.agora.registry.blob.BlobRef;

/** Converts inspection results into the wire messages a version carries. */
final class ArtifactProtos {

  private ArtifactProtos() {}

  static Artifact artifact(BlobRef blob, InspectedArtifact inspected) {
    return Artifact.newBuilder()
        .setSha256(blob.sha256())
        .setSizeBytes(blob.sizeBytes())
        .setFormat(inspected.format())
        .setOpset(inspected.opset())
        .setProducerName(inspected.producerName())
        .build();
  }

  static Signature signature(InspectedArtifact inspected) {
    Signature.Builder signature = Signature.newBuilder();
    inspected.inputs().forEach(input -> signature.addInputs(tensor(input)));
    inspected.outputs().forEach(output -> signature.addOutputs(tensor(output)));
    return signature.build();
  }

  private static TensorSpec tensor(TensorSignature tensor) {
    return TensorSpec.newBuilder()
        .setName(tensor.name())
        .setDatatype(tensor.datatype())
        .addAllShape(tensor.shape())
        .build();
  }
}
