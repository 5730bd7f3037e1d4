package dev.agora.benchmarks.load;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The serving load generator: {@code closed} (fixed concurrency), {@code alternate} (c=1, Agora and
 * the echo side by side in one client), {@code open} (fixed rate, coordinated omission corrected),
 * {@code max} (a closed-loop sweep for the highest throughput) against {@code agora serve} or the
 * echo server, and {@code models} (writes the benchmark models). Results are HdrHistogram
 * percentiles as JSON on standard output and, if asked, in files.
 */
@Command(
    name = "load-generator",
    mixinStandardHelpOptions = true,
    description = "Load generator for agora serve and the bare gRPC echo (issue #4, G1-G5).",
    subcommands = {
      LoadGenerator.Closed.class,
      LoadGenerator.Alternate.class,
      LoadGenerator.Open.class,
      LoadGenerator.Max.class,
      BenchmarkModels.class
    })
public final class LoadGenerator {
  private LoadGenerator() {}

  /** Runs the command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(LoadGenerator.class).execute(args));
  }

  /** Warm-up and window lengths. */
  static final class Timing {
    @Option(
        names = "--warmup",
        defaultValue = "3s",
        converter = DurationConverter.class,
        description = "Unmeasured time first (default: 3s).")
    Duration warmup;

    @Option(
        names = "--duration",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description = "Measured time (default: 10s).")
    Duration duration;
  }

  static LoadResult result(
      String label,
      TargetOptions target,
      String mode,
      int concurrency,
      double rate,
      Measured measured,
      Histogram histogram) {
    return result(label, target, mode, concurrency, rate, measured, histogram, null);
  }

  static LoadResult result(
      String label,
      TargetOptions target,
      String mode,
      int concurrency,
      double rate,
      Measured measured,
      Histogram histogram,
      Double serverCpuShare) {
    LatencyWindow window = measured.window();
    return new LoadResult(
        label,
        target.target.name(),
        target.model,
        target.rows,
        mode,
        concurrency,
        rate,
        window.seconds(),
        window.achievedRate(),
        window.achievedRate() * target.rows,
        window.errors(),
        window.errorsByCode(),
        mode.equals("open"),
        measured.maxSendLagNanos() / 1e3,
        LatencySummary.of(histogram),
        serverCpuShare);
  }

  static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** {@code closed}: a fixed number of calls in flight. */
  @Command(name = "closed", mixinStandardHelpOptions = true, description = "Closed loop at -c.")
  static final class Closed implements Callable<Integer> {
    @Mixin TargetOptions target;
    @Mixin Timing timing;
    @Mixin OutputOptions output;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "1",
        description = "Calls in flight.")
    int concurrency;

    @Override
    public Integer call() throws Exception {
      ManagedChannel channel = target.channel();
      try {
        Measured measured =
            new ClosedLoop(target.callTarget(channel))
                .run(concurrency, timing.warmup, timing.duration, target.deadline);
        Histogram histogram = measured.window().histogram();
        LoadResult result =
            result(output.label, target, "closed", concurrency, 0, measured, histogram);
        output.write(result, List.of(result));
        output.writeHistogram(histogram);
        return 0;
      } finally {
        close(channel);
      }
    }
  }

  /**
   * {@code alternate}: one call in flight, alternating between Agora and the echo in blocks, each
   * measured into its own result. {@code {target}} in {@code --label}, {@code --out} and {@code
   * --hgrm} becomes {@code agora} or {@code echo}.
   */
  @Command(
      name = "alternate",
      mixinStandardHelpOptions = true,
      description = "c=1 against --address (agora) and --echo-address, alternating in blocks.")
  static final class Alternate implements Callable<Integer> {
    @Mixin TargetOptions target;
    @Mixin Timing timing;
    @Mixin OutputOptions output;

    @Option(names = "--echo-address", required = true, description = "The echo's HOST:PORT.")
    String echoAddress;

    // the first calls after a switch find the caches full of the other server's data; with
    // blocks of 100 calls they were 1 % of the calls and made the p99 (decision 0023)
    @Option(
        names = "--block",
        defaultValue = "250ms",
        converter = DurationConverter.class,
        description = "Time on one target before switching to the other (default: 250ms).")
    Duration block;

    @Override
    public Integer call() throws Exception {
      if (target.target != TargetOptions.Target.agora) {
        throw new IllegalArgumentException("alternate compares --target agora with the echo");
      }
      TargetOptions echo = target.echoAt(echoAddress);
      ManagedChannel agoraChannel = target.channel();
      ManagedChannel echoChannel = echo.channel();
      try {
        List<Measured> measured =
            new AlternatingLoop(
                    List.of(target.callTarget(agoraChannel), echo.callTarget(echoChannel)), block)
                .run(timing.warmup, timing.duration, target.deadline);
        write(target, measured.get(0));
        write(echo, measured.get(1));
        return 0;
      } finally {
        close(agoraChannel);
        close(echoChannel);
      }
    }

    private void write(TargetOptions side, Measured measured) throws IOException {
      OutputOptions out = output.forTarget(side.target.name());
      Histogram histogram = measured.window().histogram();
      LoadResult result = result(out.label, side, "alternate", 1, 0, measured, histogram);
      out.write(result, List.of(result));
      out.writeHistogram(histogram);
    }
  }

  /** {@code open}: a fixed rate, latency from each call's intended start. */
  @Command(name = "open", mixinStandardHelpOptions = true, description = "Open loop at --rate.")
  static final class Open implements Callable<Integer> {
    @Mixin TargetOptions target;
    @Mixin Timing timing;
    @Mixin OutputOptions output;

    @Option(names = "--rate", required = true, description = "Requests per second.")
    double rate;

    @Option(
        names = "--lead-in",
        defaultValue = "1s",
        converter = DurationConverter.class,
        description =
            "Time the schedule runs before the measured window opens, after the warm-up"
                + " (default: 1s).")
    Duration leadIn;

    @Option(
        names = "--warmup-concurrency",
        defaultValue = "8",
        description = "Calls in flight in the closed-loop warm-up (default: 8).")
    int warmupConcurrency;

    @Option(
        names = "--max-in-flight",
        defaultValue = "4096",
        description = "Most calls outstanding; the sender waits past it (default: 4096).")
    int maxInFlight;

    @Option(
        names = "--server-pid",
        description =
            "The server's process id on this machine: its CPU share during the window goes into"
                + " the result (Linux).")
    Long serverPid;

    @Override
    public Integer call() throws Exception {
      try (ClientEventLoop loop = ClientEventLoop.start()) {
        ManagedChannel channel = target.channel(loop);
        try {
          return run(channel, loop);
        } finally {
          close(channel);
        }
      }
    }

    private int run(ManagedChannel channel, ClientEventLoop loop) throws Exception {
      CallTarget<?, ?> call = target.callTarget(channel);
      // warm the client (and server) up at full speed first: a cold JVM falls seconds behind
      // an open schedule, and that backlog would carry into the window
      if (!timing.warmup.isZero()) {
        new ClosedLoop(call)
            .run(warmupConcurrency, timing.warmup, Duration.ofMillis(1), target.deadline);
      }
      System.err.printf("open: sending from one %s event loop%n", loop.transport());
      CompletableFuture<Double> serverCpu =
          serverPid == null
              ? CompletableFuture.completedFuture(null)
              : new ServerCpu(serverPid).shareDuring(leadIn, timing.duration);
      Measured measured =
          new OpenLoop(call, loop.loop())
              .run(rate, maxInFlight, leadIn, timing.duration, target.deadline);
      Histogram histogram = measured.window().histogram();
      LoadResult result =
          result(
              output.label,
              target,
              "open",
              maxInFlight,
              rate,
              measured,
              histogram,
              serverCpu.get());
      output.write(result, List.of(result));
      output.writeHistogram(histogram);
      return 0;
    }
  }

  /** {@code max}: closed loops at rising concurrency until throughput stops rising. */
  @Command(
      name = "max",
      mixinStandardHelpOptions = true,
      description = "Maximum throughput: a closed-loop sweep over --levels.")
  static final class Max implements Callable<Integer> {
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Option(
        names = "--levels",
        split = ",",
        defaultValue = "1,4,16,64,256",
        description = "Concurrency levels to try, rising (default: 1,4,16,64,256).")
    List<Integer> levels;

    @Option(
        names = "--warmup",
        defaultValue = "3s",
        converter = DurationConverter.class,
        description = "Unmeasured time before the first level (default: 3s).")
    Duration warmup;

    @Option(
        names = "--level-warmup",
        defaultValue = "1s",
        converter = DurationConverter.class,
        description = "Unmeasured time before each further level (default: 1s).")
    Duration levelWarmup;

    @Option(
        names = "--duration",
        defaultValue = "4s",
        converter = DurationConverter.class,
        description = "Measured time per level (default: 4s).")
    Duration duration;

    @Option(
        names = "--min-gain",
        defaultValue = "0.03",
        description = "Gain over the best so far that counts as rising (default: 0.03).")
    double minGain;

    @Option(
        names = "--patience",
        defaultValue = "2",
        description = "Stop after this many levels in a row without a gain (default: 2).")
    int patience;

    @Override
    public Integer call() throws Exception {
      ManagedChannel channel = target.channel();
      try {
        ClosedLoop loop = new ClosedLoop(target.callTarget(channel));
        ThroughputSweep sweep = new ThroughputSweep(minGain, patience);
        List<LoadResult> points = new ArrayList<>();
        for (int level : levels) {
          Duration levelWarm = points.isEmpty() ? warmup : levelWarmup;
          Measured measured = loop.run(level, levelWarm, duration, target.deadline);
          String label = output.label + "-c" + level;
          LoadResult point =
              result(label, target, "closed", level, 0, measured, measured.window().histogram());
          points.add(point);
          System.err.printf(
              "max: c=%d %.0f req/s p50 %.0f us p99 %.0f us errors %d%n",
              level,
              point.achievedRate(),
              point.latency().p50Micros(),
              point.latency().p99Micros(),
              point.errors());
          if (!sweep.add(point.achievedRate())) {
            break;
          }
        }
        LoadResult best = points.get(sweep.bestIndex());
        output.write(new MaxThroughput(points, best), points);
        return 0;
      } finally {
        close(channel);
      }
    }
  }
}
