package dev.agora.ratelimit.usage;

import java.util.List;

/**
 * Where a {@link UsageMeter} reports its counts, such as the registry ({@link RegistryUsageSink}).
 * Called from the meter's flusher thread only, never on a request path.
 */
public interface UsageSink {

  /**
   * Adds {@code deltas} to the recorded usage, all or none.
   *
   * @param deltas at most {@link UsageMeterConfig#maxCountsPerReport()} deltas, each key once
   * @throws Exception when the deltas were not recorded (or it is unknown whether they were): the
   *     meter keeps them and reports them again with its next flush
   */
  void report(List<UsageDelta> deltas) throws Exception;
}
