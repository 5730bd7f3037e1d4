/**
 * Per-version inference statistics with Triton's semantics ({@link
 * dev.agora.inference.statistics.VersionStatistics}): lock-free counters per request and per
 * execution (batch sizes included), updated on the request path and read as snapshots by the {@code
 * ModelStatistics} RPC.
 */
package dev.agora.inference.statistics;
