package dev.agora.testing.models;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point: writes every model of {@link TestModels#all()} into a directory.
 *
 * <p>Usage: {@code java -cp ... dev.agora.testing.models.GenerateTestModels <dir>}. The directory
 * is created if missing; each written path is printed on its own line.
 */
public final class GenerateTestModels {
  private GenerateTestModels() {}

  /** Writes the models into {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GenerateTestModels <output-directory>");
      System.exit(2);
      return;
    }
    writeAndReport(Path.of(args[0]), System.out);
  }

  /**
   * Writes {@link TestModels#all()} into {@code directory} (created if missing), replacing files of
   * the same name, and returns the written paths in catalogue order.
   */
  public static List<Path> write(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> model : TestModels.all().entrySet()) {
      written.add(Files.write(directory.resolve(model.getKey()), model.getValue()));
    }
    return written;
  }

  /** Prints the written paths of {@link #write(Path)} to {@code out}. */
  static void writeAndReport(Path directory, PrintStream out) throws IOException {
    for (Path written : write(directory)) {
      out.println(written);
    }
  }
}
