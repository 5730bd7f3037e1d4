package dev.agora.benchmarks.load;

import java.util.List;

/**
 * A closed-loop sweep over concurrency levels and the run that reached the highest throughput.
 *
 * @param points every level measured, in order
 * @param best the level with the highest achieved rate
 */
record MaxThroughput(List<LoadResult> points, LoadResult best) {}
