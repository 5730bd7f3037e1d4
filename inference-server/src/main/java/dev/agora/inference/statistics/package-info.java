/**
 * Per-version inference statistics ({@link dev.agora.inference.statistics.VersionStatistics}):
 * lock-free counters updated on the request path and read as snapshots by the {@code
 * ModelStatistics} RPC.
 */
package dev.agora.inference.statistics;
