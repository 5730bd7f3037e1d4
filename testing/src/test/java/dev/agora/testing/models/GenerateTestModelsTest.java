package dev.agora.testing.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateTestModelsTest {
  @TempDir Path temp;

  @Test
  void writesEveryModelIntoACreatedDirectoryAndPrintsThePaths() throws Exception {
    Path directory = temp.resolve("nested/models");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    GenerateTestModels.writeAndReport(
        directory, new PrintStream(printed, true, StandardCharsets.UTF_8));

    Map<String, byte[]> expected = TestModels.all();
    try (var files = Files.list(directory)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
    for (Map.Entry<String, byte[]> model : expected.entrySet()) {
      assertThat(directory.resolve(model.getKey())).hasBinaryContent(model.getValue());
    }
    assertThat(printed.toString(StandardCharsets.UTF_8).lines())
        .containsExactlyElementsOf(
            expected.keySet().stream().map(name -> directory.resolve(name).toString()).toList());
  }

  @Test
  void mainOverwritesStaleFiles() throws Exception {
    Path stale = Files.writeString(temp.resolve("mlp.onnx"), "stale");
    GenerateTestModels.main(new String[] {temp.toString()});
    assertThat(stale).hasBinaryContent(TestModels.mlp());
  }
}
