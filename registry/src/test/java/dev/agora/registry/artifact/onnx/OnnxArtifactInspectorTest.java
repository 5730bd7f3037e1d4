package dev.agora.registry.artifact.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.registry.artifact.InspectedArtifact;
import dev.agora.registry.artifact.TensorSignature;
import dev.agora.testing.models.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxArtifactInspectorTest {
  private final OnnxArtifactInspector inspector = new OnnxArtifactInspector();

  private static void assertRefused(ThrowingCallable call, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_ARTIFACT);
              assertThat(e.getMessage()).contains(fragments).endsWith(".");
            });
  }

  @Test
  void readsTheMlpSignature() throws Exception {
    byte[] mlp = TestModels.mlp();
    InspectedArtifact inspected = inspector.inspect(mlp);

    assertThat(inspected.format()).isEqualTo("onnx");
    assertThat(inspected.opset()).isEqualTo(17);
    assertThat(inspected.producerName()).isEqualTo(ModelProto.parseFrom(mlp).getProducerName());
    assertThat(inspected.inputs())
        .containsExactly(new TensorSignature("input", "FP32", List.of(-1L, 32L)));
    assertThat(inspected.outputs())
        .containsExactly(new TensorSignature("output", "FP32", List.of(-1L, 2L)));
  }

  @Test
  void keepsDeclarationOrderAndStaticDimensions() {
    InspectedArtifact two = inspector.inspect(TestModels.twoInputTwoOutput());
    assertThat(two.inputs()).extracting(TensorSignature::name).containsExactly("a", "b");
    assertThat(two.outputs()).extracting(TensorSignature::name).containsExactly("sum", "product");

    InspectedArtifact fixed = inspector.inspect(TestModels.staticBatch());
    assertThat(fixed.inputs()).containsExactly(new TensorSignature("x", "FP32", List.of(1L, 16L)));
  }

  @Test
  void reportsInt64() {
    assertThat(inspector.inspect(TestModels.int64Model()).inputs())
        .containsExactly(new TensorSignature("ids", "INT64", List.of(-1L, 4L)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
        "FP32", "FP64", "BF16", "BYTES"
      })
  void mapsEveryElementTypeToItsOpenInferenceProtocolName(String datatype) {
    InspectedArtifact inspected = inspector.inspect(TestModels.identity(datatype));
    assertThat(inspected.inputs())
        .containsExactly(new TensorSignature("x", datatype, List.of(-1L, 4L)));
    assertThat(inspected.outputs())
        .containsExactly(new TensorSignature("y", datatype, List.of(-1L, 4L)));
  }

  @Test
  void marksSymbolicDimensionsAsDynamic() throws Exception {
    ModelProto model = ModelProto.parseFrom(TestModels.mlp());
    ModelProto.Builder symbolic = model.toBuilder();
    symbolic
        .getGraphBuilder()
        .getInputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .getDimBuilder(0)
        .setDimParam("batch");
    assertThat(inspector.inspect(symbolic.build().toByteArray()).inputs().get(0).shape())
        .containsExactly(-1L, 32L);
  }

  @Test
  void refusesExternalData() {
    assertRefused(() -> inspector.inspect(TestModels.withExternalData()), "external", "'w'");
  }

  @Test
  void refusesACustomOperatorDomain() {
    assertRefused(
        () -> inspector.inspect(TestModels.withCustomOpDomain()),
        TestModels.CUSTOM_DOMAIN,
        "custom-operator");
  }

  @Test
  void refusesRandomBytes() {
    for (long seed = 0; seed < 20; seed++) {
      byte[] noise = new byte[4096];
      new SplittableRandom(seed).nextBytes(noise);
      assertRefused(() -> inspector.inspect(noise), "ONNX");
    }
  }

  @Test
  void refusesEmptyAndTruncatedFiles() {
    assertRefused(() -> inspector.inspect(new byte[0]), "no graph");
    byte[] mlp = TestModels.mlp();
    assertRefused(() -> inspector.inspect(Arrays.copyOf(mlp, mlp.length / 2)), "ONNX");
  }

  @Test
  void refusesAModelOnnxRuntimeCannotLoad() throws Exception {
    ModelProto.Builder broken = ModelProto.parseFrom(TestModels.mlp()).toBuilder();
    broken.getGraphBuilder().getNodeBuilder(0).setOpType("NoSuchOperator");
    assertRefused(() -> inspector.inspect(broken.build().toByteArray()), "ONNX Runtime");
  }
}
