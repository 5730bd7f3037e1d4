package dev.agora.inference.service;

import dev.agora.inference.batching.BatchPolicies;
import dev.agora.inference.batching.BatchPolicy;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.inference.ModelConfig;
import dev.agora.proto.inference.ModelDynamicBatching;
import dev.agora.proto.inference.ModelInput;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.agora.proto.inference.ModelOutput;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a model version describes itself to Triton's clients: {@code ModelMetadata} with the full
 * signature shapes, and a minimal {@code ModelConfig}. When dynamic batching is on, a model whose
 * every input and output has a dynamic first dimension is reported as batching ({@code
 * max_batch_size} > 0, dims without that dimension, and {@code dynamic_batching} with the queue
 * delay), which is what perf_analyzer needs to add its {@code -b} batch size in front; it is served
 * by the dynamic batcher with exactly that policy.
 */
final class ModelDescriptions {
  /** Triton's platform name for ONNX models served by ONNX Runtime. */
  static final String PLATFORM = "onnxruntime_onnx";

  static final String BACKEND = "onnxruntime";

  private final BatchPolicies batching;

  /** Descriptions that report each batching model's policy from {@code batching}. */
  ModelDescriptions(BatchPolicies batching) {
    this.batching = batching;
  }

  ModelMetadataResponse metadata(PublishedVersion version, List<String> versions) {
    ModelMetadataResponse.Builder metadata =
        ModelMetadataResponse.newBuilder()
            .setName(version.model())
            .addAllVersions(versions)
            .setPlatform(PLATFORM);
    version.signature().inputs().forEach(t -> metadata.addInputs(tensorMetadata(t)));
    version.signature().outputs().forEach(t -> metadata.addOutputs(tensorMetadata(t)));
    return metadata.build();
  }

  ModelConfig config(PublishedVersion version) {
    ModelSignature signature = version.signature();
    Optional<BatchPolicy> policy =
        signature.batchable() ? batching.forModel(version.model()) : Optional.empty();
    boolean batching = policy.isPresent();
    ModelConfig.Builder config =
        ModelConfig.newBuilder()
            .setName(version.model())
            .setPlatform(PLATFORM)
            .setBackend(BACKEND)
            .setMaxBatchSize(policy.map(BatchPolicy::maxBatchSize).orElse(0));
    policy.ifPresent(
        p ->
            config.setDynamicBatching(
                ModelDynamicBatching.newBuilder()
                    .setMaxQueueDelayMicroseconds(p.maxQueueDelayMicros())));
    for (TensorSignature input : signature.inputs()) {
      config.addInput(
          ModelInput.newBuilder()
              .setName(input.name())
              .setDataType(input.datatype().tritonType())
              .addAllDims(dims(input, batching)));
    }
    for (TensorSignature output : signature.outputs()) {
      config.addOutput(
          ModelOutput.newBuilder()
              .setName(output.name())
              .setDataType(output.datatype().tritonType())
              .addAllDims(dims(output, batching)));
    }
    return config.build();
  }

  private static TensorMetadata tensorMetadata(TensorSignature tensor) {
    return TensorMetadata.newBuilder()
        .setName(tensor.name())
        .setDatatype(tensor.datatype().oipName())
        .addAllShape(Arrays.stream(tensor.shape()).boxed().toList())
        .build();
  }

  private static List<Long> dims(TensorSignature tensor, boolean withoutBatchDim) {
    long[] shape = tensor.shape();
    return Arrays.stream(shape).skip(withoutBatchDim ? 1 : 0).boxed().toList();
  }
}
