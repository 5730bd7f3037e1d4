package dev.agora.benchmarks.load;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Option;

/** Where a run's results go: JSON, a CSV line, HdrHistogram's percentile distribution. */
final class OutputOptions {
  static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  /** Stands for the target's name in {@link #forTarget}'s label and file names. */
  static final String TARGET = "{target}";

  @Option(names = "--label", defaultValue = "", description = "Names the run in the outputs.")
  String label;

  @Option(names = "--out", description = "Write the result as JSON to this file.")
  Path json;

  @Option(names = "--csv", description = "Append the result as CSV lines to this file.")
  Path csv;

  @Option(
      names = "--hgrm",
      description = "Write HdrHistogram's percentile distribution (microseconds) to this file.")
  Path hgrm;

  /** These outputs with {@code {target}} in the label and file names replaced by {@code target}. */
  OutputOptions forTarget(String target) {
    OutputOptions named = new OutputOptions();
    named.label = label.replace(TARGET, target);
    named.json = json == null ? null : Path.of(json.toString().replace(TARGET, target));
    named.csv = csv;
    named.hgrm = hgrm == null ? null : Path.of(hgrm.toString().replace(TARGET, target));
    return named;
  }

  void write(Object result, List<LoadResult> lines) throws IOException {
    String text = GSON.toJson(result);
    System.out.println(text);
    if (json != null) {
      createParent(json);
      Files.writeString(json, text + "\n");
    }
    if (csv != null) {
      createParent(csv);
      if (!Files.exists(csv)) {
        Files.writeString(csv, LoadResult.CSV_HEADER + "\n");
      }
      StringBuilder rows = new StringBuilder();
      lines.forEach(line -> rows.append(line.csvLine()).append('\n'));
      Files.writeString(csv, rows, StandardOpenOption.APPEND);
    }
  }

  void writeHistogram(Histogram nanos) throws IOException {
    if (hgrm == null) {
      return;
    }
    createParent(hgrm);
    try (PrintStream out =
        new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
      nanos.outputPercentileDistribution(out, 1000.0);
    }
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
