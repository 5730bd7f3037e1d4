package dev.agora.testing.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.TensorShapeProto;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxGraphBuilderTest {
  @Test
  void dynamicDimensionsBecomeNamedParameters() {
    ModelProto model =
        OnnxGraphBuilder.named("g")
            .input("x", OipDatatype.FP32, -1, 3)
            .output("y", OipDatatype.FP32, -1, 3)
            .node("Relu", List.of("x"), "y")
            .build();
    List<TensorShapeProto.Dimension> dims =
        model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertThat(dims.get(0).getDimParam()).isEqualTo("batch");
    assertThat(dims.get(0).hasDimValue()).isFalse();
    assertThat(dims.get(1).getDimValue()).isEqualTo(3);
    assertThat(model.getGraph().getNode(0).getName()).isEqualTo("relu_0");
  }

  @Test
  void opsetCanBeAddedAndTheDefaultOverridden() {
    ModelProto model = OnnxGraphBuilder.named("g").opset("", 13).opset("x.y", 2).build();
    assertThat(model.getOpsetImportList())
        .extracting(o -> o.getDomain() + ":" + o.getVersion())
        .containsExactly(":13", "x.y:2");
  }

  @Test
  void invalidShapesAndInitializersAreRejected() {
    OnnxGraphBuilder builder = OnnxGraphBuilder.named("g");
    assertThatThrownBy(() -> builder.input("x", OipDatatype.FP32, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-2");
    assertThatThrownBy(() -> builder.floatInitializer("w", new float[3], 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w");
    assertThatThrownBy(() -> builder.int64Initializer("k", new long[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    ModelProto good = builder.floatInitializer("w", new float[4], 2, 2).build();
    assertThat(good.getGraph().getInitializer(0).getFloatDataCount()).isEqualTo(4);
  }
}
