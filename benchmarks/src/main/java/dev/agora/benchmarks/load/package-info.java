/**
 * The serving load generator (issue #4, G1-G5): closed loops at a fixed concurrency, open loops at
 * a fixed rate with latency measured from each call's intended start (coordinated omission
 * corrected), and a sweep for the maximum throughput, against {@code agora serve}'s {@code
 * ModelInfer} or the bare gRPC echo of the same bytes. Latencies go into HdrHistogram; results are
 * JSON and CSV. Never run by the test suite: {@code benchmarks/run-serving.sh} drives it.
 */
package dev.agora.benchmarks.load;
