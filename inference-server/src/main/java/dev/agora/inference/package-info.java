/**
 * Agora's inference server: Triton-compatible Open Inference Protocol over gRPC, serving published
 * model versions with ONNX Runtime. {@link dev.agora.inference.InferenceServer} is the composition
 * root, configured by one validated {@link dev.agora.inference.InferenceConfig}; it learns about
 * models only through the registry's gRPC API (an in-process channel in all-in-one mode) and never
 * imports registry code.
 */
package dev.agora.inference;
