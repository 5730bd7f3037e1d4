/**
 * The serving benchmarks' report: medians over repeats, each goal of issue #4 (G1, G3, G4, G5, G6)
 * judged met or not with its ratio and reproducing command, and the latency-vs-throughput PNG
 * (XChart, decision 0023).
 */
package dev.agora.benchmarks.report;
