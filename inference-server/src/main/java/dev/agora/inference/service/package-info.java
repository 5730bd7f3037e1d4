/**
 * The gRPC face of the inference server: {@link dev.agora.inference.service.InferenceService}
 * implements Triton's {@code inference.GRPCInferenceService} wire-compatibly, so tritonclient and
 * perf_analyzer work unchanged. It delegates validation and encoding to the tensor codec, model
 * state to the repository and execution to the runtime, and hands all blocking work to a bounded
 * executor.
 */
package dev.agora.inference.service;
