package dev.agora.benchmarks.machine;

import com.google.gson.GsonBuilder;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sleeps 100 µs at a time and records how late each wake-up comes (in the spirit of jHiccup). Run
 * it pinned to an otherwise idle core ({@code taskset}): a server on that core cannot answer faster
 * than the machine lets it run, so tail-latency targets below this floor cannot be met there,
 * whatever the server. The JVM adds little: one thread, no allocation while it measures.
 */
@Command(
    name = "wake-up-latency",
    mixinStandardHelpOptions = true,
    description = "How late an idle core wakes a sleeping thread; prints JSON.")
public final class WakeUpLatency implements Callable<Integer> {
  private static final long SLEEP_NANOS = 100_000;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "How long to measure, after a 1 s warm-up (default: 10).")
  double seconds;

  @Option(
      names = "--cores",
      defaultValue = "any",
      description = "Which cores this runs on, as pinned with taskset, for the record.")
  String cores;

  /** Runs the command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new WakeUpLatency()).execute(args));
  }

  @Override
  public Integer call() {
    if (!(seconds > 0)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--seconds must be positive, not " + seconds);
    }
    sleepAndRecord(Duration.ofSeconds(1));
    LateWakeUps.Summary summary =
        sleepAndRecord(Duration.ofNanos((long) (seconds * 1e9))).summary(cores, seconds);
    System.out.println(new GsonBuilder().create().toJson(summary));
    return 0;
  }

  static LateWakeUps sleepAndRecord(Duration length) {
    LateWakeUps late = new LateWakeUps();
    long end = System.nanoTime() + length.toNanos();
    for (long before = System.nanoTime(); before < end; before = System.nanoTime()) {
      LockSupport.parkNanos(SLEEP_NANOS);
      late.record(System.nanoTime() - before - SLEEP_NANOS);
    }
    return late;
  }
}
