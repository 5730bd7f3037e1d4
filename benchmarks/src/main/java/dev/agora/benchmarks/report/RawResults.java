package dev.agora.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The raw outputs of one {@code run-serving.sh} run: load-generator and JMH JSON files. */
final class RawResults {
  private final Path raw;

  RawResults(Path raw) {
    this.raw = raw;
  }

  /** Every JSON file whose name is {@code prefix-<repeat>.json}, in name order. */
  List<JsonObject> repeats(String prefix) {
    return repeatFiles(prefix).stream().map(f -> read(f).getAsJsonObject()).toList();
  }

  /** Every JSON file whose name starts with {@code prefix}, in name order. */
  List<JsonObject> matching(String prefix) {
    List<JsonObject> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(raw)) {
      files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .forEach(f -> found.add(read(f).getAsJsonObject()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Every JMH result file named {@code prefix-<repeat>.json}, in name order. */
  List<List<JsonObject>> jmhRepeats(String prefix) {
    return repeatFiles(prefix).stream().map(RawResults::jmhRuns).toList();
  }

  private List<Path> repeatFiles(String prefix) {
    try (Stream<Path> files = Files.list(raw)) {
      return files
          .filter(f -> f.getFileName().toString().matches(prefix + "-[0-9]+\\.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JMH result file (a JSON array), if it is there. */
  Optional<List<JsonObject>> jmh(String name) {
    Path file = raw.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(jmhRuns(file));
  }

  private static List<JsonObject> jmhRuns(Path file) {
    List<JsonObject> runs = new ArrayList<>();
    read(file).getAsJsonArray().forEach(run -> runs.add(run.getAsJsonObject()));
    return runs;
  }

  /** Files in {@code raw/<directory>} ending with {@code suffix}, in name order. */
  List<Path> files(String directory, String suffix) {
    Path dir = raw.resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonElement read(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
