package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.onnx.GraphProto;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.ValueInfoProto;
import dev.agora.testing.models.TestModels;
import org.junit.jupiter.api.Test;

class BenchmarkModelsTest {
  @Test
  void theUnbatchedMlpFixesTheBatchDimensionAndKeepsTheWeights() throws Exception {
    GraphProto batched = ModelProto.parseFrom(TestModels.mlp()).getGraph();
    GraphProto unbatched =
        ModelProto.parseFrom(BenchmarkModels.unbatched(TestModels.mlp())).getGraph();

    assertThat(firstDim(batched.getInput(0)).hasDimValue()).isFalse();
    assertThat(firstDim(unbatched.getInput(0)).getDimValue()).isEqualTo(1);
    assertThat(firstDim(unbatched.getOutput(0)).getDimValue()).isEqualTo(1);
    assertThat(unbatched.getInput(0).getType().getTensorType().getShape().getDim(1))
        .isEqualTo(batched.getInput(0).getType().getTensorType().getShape().getDim(1));
    assertThat(unbatched.getInitializerList()).isEqualTo(batched.getInitializerList());
    assertThat(unbatched.getNodeList()).isEqualTo(batched.getNodeList());
  }

  private static dev.agora.proto.onnx.TensorShapeProto.Dimension firstDim(ValueInfoProto value) {
    return value.getType().getTensorType().getShape().getDim(0);
  }
}
