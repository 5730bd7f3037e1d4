package dev.agora.benchmarks.report;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Turns the raw outputs of {@code benchmarks/run-serving.sh} into the results' {@code README.md}
 * (each goal measured, its ratio, met or not, and the command) and {@code
 * latency-vs-throughput.png}.
 */
@Command(
    name = "serving-report",
    mixinStandardHelpOptions = true,
    description = "Writes README.md and latency-vs-throughput.png for a serving results directory.")
public final class ServingReport implements Callable<Integer> {
  static final String PLOT = "latency-vs-throughput.png";

  @Option(names = "--dir", required = true, description = "The results directory (with raw/).")
  Path dir;

  @Option(names = "--note", defaultValue = "", description = "A paragraph put under the title.")
  String note;

  /** Runs the command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ServingReport()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    RawResults raw = new RawResults(dir.resolve("raw"));
    Map<String, String> commands = commands(dir.resolve("raw/commands.tsv"));
    List<JsonObject> agoraCurve = raw.matching("curve-agora-");
    List<JsonObject> echoCurve = raw.matching("curve-echo-");
    LatencyPlot.write(
        agoraCurve,
        echoCurve,
        "Open loop, mlp batch 1: Agora ModelInfer vs bare gRPC echo",
        dir.resolve(PLOT));
    StringBuilder md = new StringBuilder();
    md.append("# Serving benchmarks (issue #4, G1–G6): ").append(dir.getFileName()).append("\n\n");
    if (!note.isBlank()) {
      md.append(note.strip()).append("\n\n");
    }
    // a --note describes the run, it does not reproduce it (older runs recorded it)
    String all =
        commands.getOrDefault("all", "benchmarks/run-serving.sh").replaceFirst(" --note .*$", "");
    md.append("Reproduce everything: `").append(all);
    md.append("`. Each G below names the step's own command (run by the script against its own ");
    md.append(
        "servers; `$AGORA`/`$ECHO` are their addresses, `$AGORA_API_KEY` the key `agora serve` ");
    md.append("printed). Values are medians over the repeats.\n\n");
    md.append(
        "| goal | target | measured | ratio | verdict | command |\n|---|---|---|---|---|---|\n");
    for (GoalRow row : new ServingGoals(raw, commands).rows()) {
      md.append(
          String.join(
              " | ",
              "| " + row.id(),
              row.goal(),
              row.measured(),
              row.ratio(),
              row.verdict(),
              row.command() + " |\n"));
    }
    md.append(
        "\nHow each goal is measured (batching off = `mlp-unbatched`, G6 = Agora's allocation");
    md.append(" minus the echo's, pinning, warm-ups): docs/decisions/0023-serving-benchmarks.md.");
    md.append(" On two cores the client has one core: a maximum (G3, G4) may be the client's;");
    md.append(" compare with perf_analyzer's below.\n");
    md.append("\n## Latency vs throughput (open loop)\n\n![latency vs throughput](").append(PLOT);
    md.append(")\n\n").append(curveTable(agoraCurve, echoCurve));
    md.append("\n## perf_analyzer on the same server\n\n").append(perfAnalyzerTable(raw));
    md.append("\n## The machine's own floor\n\n").append(floorTable(raw));
    md.append("\n## Machine\n\n```\n");
    Path machine = dir.resolve("machine.txt");
    md.append(Files.isRegularFile(machine) ? Files.readString(machine).strip() : "(missing)");
    md.append("\n```\n\n## Files\n\n");
    md.append("- `raw/*.json`: load-generator results (HdrHistogram percentiles in µs) and JMH ");
    md.append("JSON; `raw/*.hgrm`: full percentile distributions; `raw/runs.csv`: every run as a ");
    md.append("CSV line; `raw/commands.tsv`: every command; `raw/perf_analyzer/`: its CSV and ");
    md.append("output; `server-*.log`: the servers' output.\n");
    Files.writeString(dir.resolve("README.md"), md.toString());
    System.out.println("wrote " + dir.resolve("README.md") + " and " + dir.resolve(PLOT));
    return 0;
  }

  private static String curveTable(List<JsonObject> agora, List<JsonObject> echo) {
    StringBuilder md = new StringBuilder();
    md.append("Runs that completed less than 95 % of their target rate, whose median latency");
    md.append(" passed 100 ms (a standing queue), or whose server refused more than 1 % of the");
    md.append(" calls (RESOURCE_EXHAUSTED: shedding load) are saturated: their latencies are a");
    md.append(" backlog's, and the plot leaves them out.\n\n");
    md.append(
        "| server | target req/s | achieved req/s | sustained | p50 µs | p90 µs | p99 µs | p99.9 µs"
            + " | errors | server core busy |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    List<JsonObject> all = new ArrayList<>(agora);
    all.addAll(echo);
    for (JsonObject run : all) {
      JsonObject latency = run.getAsJsonObject("latency");
      md.append(
          String.join(
              " | ",
              "| " + run.get("target").getAsString(),
              Stats.number(run.get("targetRate").getAsDouble()),
              Stats.number(run.get("achievedRate").getAsDouble()),
              LatencyPlot.sustained(run) ? "yes" : "no (saturated)",
              Stats.number(latency.get("p50Micros").getAsDouble()),
              Stats.number(latency.get("p90Micros").getAsDouble()),
              Stats.number(latency.get("p99Micros").getAsDouble()),
              Stats.number(latency.get("p999Micros").getAsDouble()),
              run.get("errors").getAsString(),
              (run.has("serverCpuShare")
                      ? Stats.number(run.get("serverCpuShare").getAsDouble() * 100) + " %"
                      : "–")
                  + " |\n"));
    }
    return md.toString();
  }

  private static String floorTable(RawResults raw) {
    List<JsonObject> cores = raw.matching("wake-ups-");
    if (cores.isEmpty()) {
      return "(not measured)\n";
    }
    StringBuilder md = new StringBuilder();
    md.append("How late an otherwise idle core woke a thread that slept 100 µs at a time, before");
    md.append(" the servers started (`WakeUpLatency`): no server on these cores answers faster");
    md.append(" than this, so the tail-latency goals (G5) cannot be met below it.\n\n");
    md.append("| cores | seconds | wake-ups | > 0.25 ms late | > 1 ms late | > 5 ms late |");
    md.append(" worst, ms | time lost, % |\n|---|---|---|---|---|---|---|---|\n");
    for (JsonObject core : cores) {
      md.append(
          String.join(
              " | ",
              "| " + core.get("cores").getAsString(),
              Stats.number(core.get("seconds").getAsDouble()),
              core.get("wakeUps").getAsString(),
              core.get("lateOverQuarterMs").getAsString(),
              core.get("lateOverOneMs").getAsString(),
              core.get("lateOverFiveMs").getAsString(),
              Stats.number(core.get("worstLateMillis").getAsDouble()),
              String.format(
                      java.util.Locale.ROOT, "%.3f", core.get("percentOfTimeLost").getAsDouble())
                  + " |\n"));
    }
    return md.toString();
  }

  private static String perfAnalyzerTable(RawResults raw) throws IOException {
    List<Path> csvs = raw.files("perf_analyzer", ".csv");
    if (csvs.isEmpty()) {
      return "(not run)\n";
    }
    StringBuilder md = new StringBuilder();
    md.append("| run | load | infer/s | p50 µs | p90 µs | p99 µs |\n|---|---|---|---|---|---|\n");
    for (Path csv : csvs) {
      List<String> lines = Files.readAllLines(csv);
      if (lines.size() < 2) {
        continue;
      }
      List<String> header = List.of(lines.get(0).split(","));
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",");
        md.append(
            String.join(
                " | ",
                "| " + csv.getFileName().toString().replace(".csv", ""),
                header.get(0) + " " + cells[0],
                cell(header, cells, "Inferences/Second"),
                cell(header, cells, "p50 latency"),
                cell(header, cells, "p90 latency"),
                cell(header, cells, "p99 latency") + " |\n"));
      }
    }
    return md.toString();
  }

  private static String cell(List<String> header, String[] cells, String column) {
    int index = header.indexOf(column);
    return index >= 0 && index < cells.length ? cells[index] : "n/a";
  }

  private static Map<String, String> commands(Path tsv) throws IOException {
    Map<String, String> commands = new LinkedHashMap<>();
    if (Files.isRegularFile(tsv)) {
      for (String line : Files.readAllLines(tsv)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          commands.putIfAbsent(line.substring(0, tab), line.substring(tab + 1));
        }
      }
    }
    return commands;
  }
}
