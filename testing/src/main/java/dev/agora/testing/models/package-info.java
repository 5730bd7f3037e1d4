/**
 * Real ONNX model files for tests, written from scratch with Agora's own ONNX proto subset ({@code
 * dev.agora.proto.onnx}) so that no test ever downloads a model.
 *
 * <p>{@link dev.agora.testing.models.TestModels} is the catalogue other modules code against: a
 * small MLP with a plain-Java reference forward pass, single-operator models for every Open
 * Inference Protocol datatype, multi-input/multi-output and static-batch models, and two
 * deliberately hostile models (external data pointing outside the model directory, a custom
 * operator domain) that an artifact inspector must refuse. Models are built with the fluent {@link
 * dev.agora.testing.models.OnnxGraphBuilder}, use IR version 8 and default-domain opset 17, and are
 * byte-for-byte deterministic. {@link dev.agora.testing.models.GenerateTestModels} writes them to a
 * directory for tools outside the JVM (the Python SDK, perf_analyzer).
 */
package dev.agora.testing.models;
