package dev.agora.benchmarks.load;

import java.util.Map;

/**
 * One measured run, as written to JSON and CSV.
 *
 * @param label free text naming the run (e.g. {@code g1-agora-1})
 * @param target {@code agora} or {@code echo}
 * @param model the model called (the echo carries the same request bytes)
 * @param rows rows per request
 * @param mode {@code closed} (fixed concurrency) or {@code open} (fixed rate)
 * @param concurrency calls in flight (closed loop), or the most allowed in flight (open loop)
 * @param targetRate requests per second asked for (open loop), 0 for a closed loop
 * @param windowSeconds length of the measured window, after the warm-up
 * @param achievedRate successful calls completed in the window per second
 * @param rowsPerSecond {@code achievedRate × rows}
 * @param errors failed calls that started in the window
 * @param errorsByCode failed calls by gRPC status code
 * @param coordinatedOmissionCorrected whether latency runs from the intended start (open loop)
 * @param maxSendLagMicros the longest a call was sent after its intended start (open loop)
 * @param latency percentiles of the successful calls that started in the window
 * @param serverCpuShare the share of one core the server process used during the window (open loop
 *     with {@code --server-pid}), or null
 */
record LoadResult(
    String label,
    String target,
    String model,
    int rows,
    String mode,
    int concurrency,
    double targetRate,
    double windowSeconds,
    double achievedRate,
    double rowsPerSecond,
    long errors,
    Map<String, Long> errorsByCode,
    boolean coordinatedOmissionCorrected,
    double maxSendLagMicros,
    LatencySummary latency,
    Double serverCpuShare) {

  static final String CSV_HEADER =
      "label,target,model,rows,mode,concurrency,target_rate,achieved_rate,rows_per_second,"
          + "requests,errors,p50_us,p90_us,p99_us,p999_us,max_us,mean_us";

  String csvLine() {
    return String.join(
        ",",
        label,
        target,
        model,
        Integer.toString(rows),
        mode,
        Integer.toString(concurrency),
        format(targetRate),
        format(achievedRate),
        format(rowsPerSecond),
        Long.toString(latency.count()),
        Long.toString(errors),
        format(latency.p50Micros()),
        format(latency.p90Micros()),
        format(latency.p99Micros()),
        format(latency.p999Micros()),
        format(latency.maxMicros()),
        format(latency.meanMicros()));
  }

  private static String format(double value) {
    return String.format(java.util.Locale.ROOT, "%.1f", value);
  }
}
