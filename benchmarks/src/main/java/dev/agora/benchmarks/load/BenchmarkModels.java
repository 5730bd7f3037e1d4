package dev.agora.benchmarks.load;

import dev.agora.proto.onnx.ModelProto;
import dev.agora.testing.models.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code models DIR}: writes the two models the serving benchmarks publish. {@code mlp.onnx} is the
 * generated test MLP (input [-1,32]): its batch dimension is dynamic, so the server's dynamic
 * batcher may put concurrent requests in one execution. {@code mlp-unbatched.onnx} is the same
 * graph and weights with the batch dimension fixed at 1, which the server runs one request per
 * execution: batching off, for the same work per request. {@code wide.onnx} and {@code
 * wide-unbatched.onnx} are the same pair for {@link TestModels#wideMlp()} (input [-1,256]), a model
 * heavy enough that running 32 rows at once pays, which the batching goal (G4) is measured on.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Write mlp.onnx, wide.onnx (batchable) and mlp-unbatched.onnx, wide-unbatched.onnx (batch"
            + " fixed at 1) to DIR.")
final class BenchmarkModels implements Callable<Integer> {
  @Parameters(index = "0", description = "Directory to write to.")
  Path directory;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(directory);
    Files.write(directory.resolve("mlp.onnx"), TestModels.mlp());
    Files.write(directory.resolve("mlp-unbatched.onnx"), unbatched(TestModels.mlp()));
    byte[] wide = TestModels.wideMlp();
    Files.write(directory.resolve("wide.onnx"), wide);
    Files.write(directory.resolve("wide-unbatched.onnx"), unbatched(wide));
    System.out.println("wrote mlp, mlp-unbatched, wide and wide-unbatched (.onnx) to " + directory);
    return 0;
  }

  /** The model with the first dimension of its first input and output fixed at 1. */
  static byte[] unbatched(byte[] model) throws Exception {
    ModelProto.Builder builder = ModelProto.parseFrom(model).toBuilder();
    var graph = builder.getGraphBuilder();
    graph.setName(graph.getName() + "_unbatched");
    graph
        .getInputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .getDimBuilder(0)
        .setDimValue(1);
    graph
        .getOutputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .getDimBuilder(0)
        .setDimValue(1);
    return builder.build().toByteArray();
  }
}
