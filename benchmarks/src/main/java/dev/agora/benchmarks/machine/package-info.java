/**
 * What the machine itself costs a latency measurement: how late an idle core wakes a sleeping
 * thread, the floor under every server's tail latency on it.
 */
package dev.agora.benchmarks.machine;
