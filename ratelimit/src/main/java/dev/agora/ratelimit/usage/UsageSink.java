package dev.agora.ratelimit.usage;

/**
 * Where a {@link UsageMeter} reports its counts, such as the registry ({@link RegistryUsageSink}).
 * Called from the meter's flusher thread only, never on a request path.
 */
public interface UsageSink {

  /**
   * Adds the report's deltas to the recorded usage, all or none, and at most once per reporter and
   * sequence where the sink can tell.
   *
   * @throws Exception when the deltas were not recorded (or it is unknown whether they were): the
   *     meter sends the same report again, unchanged, with its next flush
   */
  void report(UsageReport report) throws Exception;
}
