package dev.agora.benchmarks.load;

/**
 * What a loop measured: its window and, for an open loop, how late the sender ever was.
 *
 * @param window the measured window with its latencies and counts
 * @param maxSendLagNanos the longest a call went out after its intended start (0 for a closed loop)
 */
record Measured(LatencyWindow window, long maxSendLagNanos) {}
