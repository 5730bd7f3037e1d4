package dev.agora.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time a server process on this machine spends, from Linux's {@code /proc/<pid>/stat}. An
 * open loop's latencies mean little without it: the same rate can leave one server's core half idle
 * and keep another's busy the whole window.
 */
final class ServerCpu {
  /** {@code USER_HZ}: Linux reports process times in /proc in hundredths of a second. */
  private static final double TICKS_PER_SECOND = 100;

  private final Path stat;

  ServerCpu(long pid) {
    stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.isReadable(stat)) {
      throw new IllegalArgumentException(
          "cannot read " + stat + ": no such process, or no Linux /proc to measure it by");
    }
  }

  /** User plus system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      return cpuSeconds(Files.readString(stat));
    } catch (IOException e) {
      throw new UncheckedIOException("the server process has gone: " + stat, e);
    }
  }

  /** utime plus stime of a {@code /proc/<pid>/stat} line, in seconds. */
  static double cpuSeconds(String statLine) {
    // the command name (field 2) is in parentheses and may hold spaces and parentheses itself
    String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  /**
   * The share of one core the process uses from {@code delay} after now, for {@code length}: 1.0 is
   * one core busy the whole time.
   */
  CompletableFuture<Double> shareDuring(Duration delay, Duration length) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("the measured length must be positive, not " + length);
    }
    return CompletableFuture.supplyAsync(this::cpuSeconds, after(delay))
        .thenApplyAsync(
            before -> (cpuSeconds() - before) / (length.toNanos() / 1e9), after(length));
  }

  private static Executor after(Duration delay) {
    return CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
