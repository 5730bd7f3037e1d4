/**
 * JMH benchmarks of Agora's serving path: {@code ModelInfer} on the MLP through the real {@link
 * dev.agora.inference.InferenceServer} wiring over grpc-java's in-process transport, beside an
 * in-process echo of the same payload, so that {@code -prof gc} shows what Agora itself allocates
 * per request on top of the transport (issue #4, G6).
 */
package dev.agora.benchmarks.serving;
