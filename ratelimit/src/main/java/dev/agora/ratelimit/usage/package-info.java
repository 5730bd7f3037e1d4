/**
 * Usage metering on inference servers. {@link dev.agora.ratelimit.usage.UsageMeter} counts the
 * calls of {@code ModelInfer} and {@code ModelStreamInfer} per UTC day, consumer team, key and
 * model version (as the caller asked for it) in memory, without locks on the request path, and a
 * background flusher hands the counts added since the last successful report to a {@link
 * dev.agora.ratelimit.usage.UsageSink}; {@link dev.agora.ratelimit.usage.RegistryUsageSink} sends
 * them to the registry's {@code UsageService.ReportUsage}. Counters only grow and the meter
 * remembers what each sink call accepted, so a failed report is simply repeated with the next
 * flush.
 */
package dev.agora.ratelimit.usage;
