/**
 * The gRPC face of the inference server: {@link dev.agora.inference.service.InferenceService}
 * implements Triton's {@code inference.GRPCInferenceService} wire-compatibly, so tritonclient and
 * perf_analyzer work unchanged. It hands blocking work (catalog, loading, decoding) to the bounded
 * request executor, queues each inference with its version's scheduler together with the caller's
 * deadline, and delegates validation and encoding to the tensor codec and model state to the
 * repository.
 */
package dev.agora.inference.service;
