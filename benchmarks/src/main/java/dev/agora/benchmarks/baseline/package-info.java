/**
 * The two baselines every serving benchmark is divided by: ONNX Runtime called in-process on the
 * demo MLP, and a bare grpc-java echo over loopback carrying the same payload as a ModelInfer call.
 * A serving result is reported as a ratio to these, measured in the same run.
 */
package dev.agora.benchmarks.baseline;
