package dev.agora.ratelimit.usage;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Reports usage to the registry's {@code UsageService.ReportUsage}. The channel must carry the
 * {@code usage:report} scope: the in-process registry channel of {@code agora serve} does (its
 * trusted caller holds it); a remote inference server attaches a key that carries it. Each report
 * carries the meter's reporter id and the report's sequence, so the registry applies a repeated
 * report once.
 */
public final class RegistryUsageSink implements UsageSink {
  private final UsageServiceGrpc.UsageServiceBlockingStub registry;
  private final Duration timeout;

  /**
   * Reports over {@code registry}, giving each report {@code timeout} to be answered.
   *
   * @param timeout the deadline of each {@code ReportUsage} call
   */
  public RegistryUsageSink(Channel registry, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the report timeout must be positive, got " + timeout);
    }
    this.registry = UsageServiceGrpc.newBlockingStub(registry);
    this.timeout = timeout;
  }

  @Override
  public void report(UsageReport report) {
    ReportUsageRequest.Builder request =
        ReportUsageRequest.newBuilder()
            .setReporterId(report.reporterId())
            .setSequence(report.sequence());
    for (UsageDelta delta : report.deltas()) {
      UsageKey key = delta.key();
      request.addCounts(
          UsageCount.newBuilder()
              .setDay(key.day().toString())
              .setModel(key.model())
              .setVersion(key.version())
              .setConsumerTeam(key.team())
              .setKeyId(key.keyId())
              .setRequests(delta.requests())
              .setFailedRequests(delta.failedRequests())
              .setLastCallTime(timestamp(delta.lastCallTime())));
    }
    registry
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .reportUsage(request.build());
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
