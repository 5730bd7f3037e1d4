package dev.agora.testing.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The file that collects one etcd member's output, and its last lines for failure messages. */
final class EtcdLog {
  private final Path file;

  EtcdLog(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The last {@code lines} lines, or a note saying why there are none. */
  String tail(int lines) {
    if (!Files.exists(file)) {
      return "(no log written)";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e.getMessage() + ")";
    }
  }
}
