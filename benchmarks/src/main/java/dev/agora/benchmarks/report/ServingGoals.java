package dev.agora.benchmarks.report;

import static dev.agora.benchmarks.report.Stats.list;
import static dev.agora.benchmarks.report.Stats.median;
import static dev.agora.benchmarks.report.Stats.number;
import static dev.agora.benchmarks.report.Stats.ratio;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Judges G1, G3, G4, G5 and G6 of issue #4 on the medians of a run's repeats. */
final class ServingGoals {
  /** G6's JMH secondary metric: bytes allocated per benchmark operation. */
  static final String ALLOC_NORM = "gc.alloc.rate.norm";

  /** The share of an open loop's target rate it must achieve for its latencies to count. */
  static final double SUSTAINED = 0.95;

  /** A run whose server refused more than this share of its calls did not carry its load. */
  static final double REFUSED = 0.01;

  /** A median latency above this (100 ms, for models answering in well under 1 ms) is a queue. */
  static final double STANDING_QUEUE_MICROS = 100_000;

  private final RawResults raw;
  private final Map<String, String> commands;

  ServingGoals(RawResults raw, Map<String, String> commands) {
    this.raw = raw;
    this.commands = commands;
  }

  List<GoalRow> rows() {
    List<GoalRow> rows = new ArrayList<>();
    rows.add(g1());
    rows.add(g3());
    rows.addAll(g4());
    rows.add(g5());
    rows.add(g6());
    return rows;
  }

  private GoalRow g1() {
    List<Double> agoraP50 = values(raw.repeats("g1-agora"), r -> latency(r, "p50Micros"));
    List<Double> echoP50 = values(raw.repeats("g1-echo"), r -> latency(r, "p50Micros"));
    List<Double> agoraP99 = values(raw.repeats("g1-agora"), r -> latency(r, "p99Micros"));
    List<Double> echoP99 = values(raw.repeats("g1-echo"), r -> latency(r, "p99Micros"));
    double p50 = median(agoraP50) / median(echoP50);
    double p99 = median(agoraP99) / median(echoP99);
    boolean measured = !agoraP50.isEmpty() && !echoP50.isEmpty();
    return new GoalRow(
        "G1",
        "ModelInfer p50 ≤ 1.3× echo, p99 ≤ 1.5×, c=1",
        String.format(
            "Agora p50 %s µs, p99 %s µs; echo p50 %s µs, p99 %s µs (repeats, p50: Agora %s; echo %s)",
            number(median(agoraP50)),
            number(median(agoraP99)),
            number(median(echoP50)),
            number(median(echoP99)),
            list(agoraP50),
            list(echoP50)),
        "p50 " + ratio(p50) + ", p99 " + ratio(p99),
        GoalRow.verdict(measured, p50 <= 1.3 && p99 <= 1.5),
        command("g1"));
  }

  private GoalRow g3() {
    List<Double> agora = values(raw.repeats("g3-agora-unbatched"), r -> best(r, "achievedRate"));
    List<Double> echo = values(raw.repeats("g3-echo"), r -> best(r, "achievedRate"));
    double ratio = median(agora) / median(echo);
    return new GoalRow(
        "G3",
        "unbatched max throughput ≥ 0.6× echo's",
        String.format(
            "Agora (mlp-unbatched) %s req/s, echo %s req/s (repeats: %s; %s)",
            number(median(agora)), number(median(echo)), list(agora), list(echo)),
        ratio(ratio),
        GoalRow.verdict(!agora.isEmpty() && !echo.isEmpty(), ratio >= 0.6),
        command("g3"));
  }

  private List<GoalRow> g4() {
    List<Double> batched = values(raw.repeats("g4-agora-batched"), r -> best(r, "rowsPerSecond"));
    List<Double> unbatched =
        values(raw.repeats("g4-agora-unbatched"), r -> best(r, "rowsPerSecond"));
    List<Double> orts = ortBatch32RowsPerSecond();
    double ort = median(orts);
    double vsOrt = median(batched) / ort;
    double vsUnbatched = median(batched) / median(unbatched);
    double echoMax = median(values(raw.repeats("g3-echo"), r -> best(r, "achievedRate")));
    String measured =
        String.format(
            "wide model (256 → 1536 → 1536 → 16): Agora with batching %s rows/s (repeats: %s);"
                + " in-process ORT batch 32 %s rows/s (repeats: %s); the same graph unbatched"
                + " (batch fixed at 1) %s rows/s. Ceiling when gRPC and ORT share the server's"
                + " cores: a server adding nothing to the echo's cost per call (max %s calls/s,"
                + " with mlp's smaller request) reaches at most %s",
            number(median(batched)),
            list(batched),
            number(ort),
            list(orts),
            number(median(unbatched)),
            number(echoMax),
            ratio(sharedCoreCeiling(ort, echoMax)));
    return List.of(
        new GoalRow(
            "G4a",
            "batching under load: rows/s ≥ 0.8× in-process ORT at batch 32",
            measured,
            ratio(vsOrt),
            GoalRow.verdict(!batched.isEmpty() && !Double.isNaN(ort), vsOrt >= 0.8),
            command("g4") + "  \n" + command("ort")),
        new GoalRow(
            "G4b",
            "batching under load: rows/s ≥ 3× the unbatched maximum",
            "as G4a",
            ratio(vsUnbatched),
            GoalRow.verdict(!batched.isEmpty() && !unbatched.isEmpty(), vsUnbatched >= 3),
            command("g4")));
  }

  private GoalRow g5() {
    List<JsonObject> runs = raw.repeats("g5-agora");
    List<JsonObject> echo = raw.repeats("g5-echo");
    List<Double> p99 = values(runs, r -> latency(r, "p99Micros") / latency(r, "p50Micros"));
    List<Double> p999 = values(runs, r -> latency(r, "p999Micros") / latency(r, "p50Micros"));
    List<Double> rate = values(runs, r -> r.get("targetRate").getAsDouble());
    List<Double> achieved = values(runs, r -> r.get("achievedRate").getAsDouble());
    double p99Ratio = median(p99);
    double p999Ratio = median(p999);
    // tail ratios mean nothing if the load was not carried: a backlog makes every call slow alike
    long carried = runs.stream().filter(LatencyPlot::sustained).count();
    boolean sustained = !runs.isEmpty() && carried == runs.size();
    return new GoalRow(
        "G5",
        "open loop at 50% of max load: p99/p50 ≤ 2, p99.9/p50 ≤ 4",
        String.format(
            "mlp at %s req/s (achieved %s%s); p50 %s µs, p99 %s µs, p99.9 %s µs (medians);"
                + " p99/p50 repeats: %s; server core busy %s. The echo at the same rate, same"
                + " client: %s",
            number(median(rate)),
            number(median(achieved)),
            sustained
                ? ""
                : String.format(
                    ": only %d of %d repeats carried the rate without a standing queue, so not"
                        + " met whatever the ratios",
                    carried, runs.size()),
            number(median(values(runs, r -> latency(r, "p50Micros")))),
            number(median(values(runs, r -> latency(r, "p99Micros")))),
            number(median(values(runs, r -> latency(r, "p999Micros")))),
            list(p99),
            cpuShare(runs),
            baseline(echo)),
        "p99/p50 " + ratio(p99Ratio) + ", p99.9/p50 " + ratio(p999Ratio),
        GoalRow.verdict(!runs.isEmpty(), sustained && p99Ratio <= 2 && p999Ratio <= 4),
        command("g5"));
  }

  /** The echo's open loop at G5's rate: the floor that the client and the machine set. */
  private static String baseline(List<JsonObject> echo) {
    if (echo.isEmpty()) {
      return "not measured";
    }
    return String.format(
        "p50 %s µs, p99 %s µs, p99.9 %s µs, p99/p50 %s, p99.9/p50 %s (medians; %d of %d repeats"
            + " carried the rate); server core busy %s",
        number(median(values(echo, r -> latency(r, "p50Micros")))),
        number(median(values(echo, r -> latency(r, "p99Micros")))),
        number(median(values(echo, r -> latency(r, "p999Micros")))),
        ratio(median(values(echo, r -> latency(r, "p99Micros") / latency(r, "p50Micros")))),
        ratio(median(values(echo, r -> latency(r, "p999Micros") / latency(r, "p50Micros")))),
        echo.stream().filter(LatencyPlot::sustained).count(),
        echo.size(),
        cpuShare(echo));
  }

  /** The server's median CPU share in the runs' windows, as a percentage of one core. */
  private static String cpuShare(List<JsonObject> runs) {
    List<Double> shares =
        runs.stream()
            .filter(r -> r.has("serverCpuShare"))
            .map(r -> r.get("serverCpuShare").getAsDouble() * 100)
            .toList();
    return shares.isEmpty() ? "not measured" : number(median(shares)) + " % of a core";
  }

  private GoalRow g6() {
    Optional<List<JsonObject>> jmh = raw.jmh("g6-jmh.json");
    double infer = jmh.flatMap(r -> allocation(r, "modelInfer")).orElse(Double.NaN);
    double echo = jmh.flatMap(r -> allocation(r, "inProcessEcho")).orElse(Double.NaN);
    double agora = infer - echo;
    return new GoalRow(
        "G6",
        "allocation per ModelInfer ≤ 2 KB (JMH -prof gc)",
        String.format(
            "modelInfer %s B/op, in-process echo of the same request %s B/op: Agora's own %s B/op",
            number(infer), number(echo), number(agora)),
        number(agora) + " B / 2048 B",
        GoalRow.verdict(!Double.isNaN(agora), agora <= 2048),
        command("g6"));
  }

  /**
   * The best G4a a server can reach when gRPC and ONNX Runtime share its cores and a call costs at
   * least what the echo's does: {@code x} rows/s, one row per call, cost {@code x / ortRows + x /
   * echoCalls} of the cores, so {@code x / ortRows} is at most {@code 1 / (1 + ortRows /
   * echoCalls)}.
   */
  static double sharedCoreCeiling(double ortRowsPerSecond, double echoCallsPerSecond) {
    return 1 / (1 + ortRowsPerSecond / echoCallsPerSecond);
  }

  /**
   * In-process ONNX Runtime at batch 32 in rows/s: one figure per repeat ({@code
   * ort-batch32-<n>.json}, measured right after that repeat's G4 runs), or the single file of runs
   * before session 6 ({@code ort-batch32.json}).
   */
  private List<Double> ortBatch32RowsPerSecond() {
    List<List<JsonObject>> files = new ArrayList<>(raw.jmhRepeats("ort-batch32"));
    if (files.isEmpty()) {
      raw.jmh("ort-batch32.json").ifPresent(files::add);
    }
    List<Double> rows = new ArrayList<>();
    for (List<JsonObject> runs : files) {
      runs.stream().findFirst().map(ServingGoals::rowsPerSecond).ifPresent(rows::add);
    }
    return rows;
  }

  private static double rowsPerSecond(JsonObject run) {
    JsonObject metric = run.getAsJsonObject("primaryMetric");
    String unit = metric.get("scoreUnit").getAsString();
    if (!unit.equals("ops/s")) {
      throw new IllegalStateException("ort-batch32: expected ops/s, not " + unit);
    }
    int batch = run.getAsJsonObject("params").get("batch").getAsInt();
    return metric.get("score").getAsDouble() * batch;
  }

  private static Optional<Double> allocation(List<JsonObject> runs, String benchmark) {
    return runs.stream()
        .filter(run -> run.get("benchmark").getAsString().endsWith("." + benchmark))
        .findFirst()
        .map(
            run ->
                run.getAsJsonObject("secondaryMetrics")
                    .getAsJsonObject(ALLOC_NORM)
                    .get("score")
                    .getAsDouble());
  }

  private String command(String key) {
    return "`" + commands.getOrDefault(key, "(not run)") + "`";
  }

  private static double latency(JsonObject result, String field) {
    return result.getAsJsonObject("latency").get(field).getAsDouble();
  }

  private static double best(JsonObject sweep, String field) {
    return sweep.getAsJsonObject("best").get(field).getAsDouble();
  }

  private static List<Double> values(List<JsonObject> runs, Function<JsonObject, Double> field) {
    return runs.stream().map(field).toList();
  }
}
