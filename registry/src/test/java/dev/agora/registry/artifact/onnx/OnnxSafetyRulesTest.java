package dev.agora.registry.artifact.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.onnx.AttributeProto;
import dev.agora.proto.onnx.FunctionProto;
import dev.agora.proto.onnx.GraphProto;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.OperatorSetIdProto;
import dev.agora.proto.onnx.StringStringEntryProto;
import dev.agora.proto.onnx.TensorProto;
import dev.agora.testing.models.TestModels;
import org.junit.jupiter.api.Test;

/** The proto-level rules, on hand-made models that reach places the test models do not. */
class OnnxSafetyRulesTest {

  private static ModelProto mlp() throws Exception {
    return ModelProto.parseFrom(TestModels.mlp());
  }

  private static TensorProto externalTensor() {
    return TensorProto.newBuilder()
        .setName("hidden_weights")
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin"))
        .build();
  }

  private static NodeProto ifNode(GraphProto branch) {
    return NodeProto.newBuilder()
        .setName("branch")
        .setOpType("If")
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("then_branch")
                .setType(AttributeProto.AttributeType.GRAPH)
                .setG(branch))
        .build();
  }

  private static void assertRefused(ModelProto model, String fragment) {
    assertThatThrownBy(() -> OnnxSafetyRules.check(model))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_ARTIFACT);
              assertThat(e.getMessage()).contains(fragment);
            });
  }

  @Test
  void acceptsTheMlpAndReturnsItsOpset() throws Exception {
    assertThat(OnnxSafetyRules.check(mlp())).isEqualTo(17);
  }

  @Test
  void refusesExternalDataMarkedOnlyByItsLocationFlag() throws Exception {
    ModelProto.Builder model = mlp().toBuilder();
    model
        .getGraphBuilder()
        .getInitializerBuilder(0)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL);
    assertRefused(model.build(), "external file");
  }

  @Test
  void refusesExternalDataInsideASubgraph() throws Exception {
    GraphProto branch =
        GraphProto.newBuilder().setName("then").addInitializer(externalTensor()).build();
    ModelProto.Builder model = mlp().toBuilder();
    model.getGraphBuilder().addNode(ifNode(branch));
    assertRefused(model.build(), "hidden_weights");
  }

  @Test
  void refusesExternalDataInANodeAttributeTensor() throws Exception {
    NodeProto constant =
        NodeProto.newBuilder()
            .setName("const")
            .setOpType("Constant")
            .addAttribute(AttributeProto.newBuilder().setName("value").setT(externalTensor()))
            .build();
    ModelProto.Builder model = mlp().toBuilder();
    model.getGraphBuilder().addNode(constant);
    assertRefused(model.build(), "attribute 'value'");
  }

  @Test
  void refusesACustomDomainInsideASubgraph() throws Exception {
    GraphProto branch =
        GraphProto.newBuilder()
            .addNode(NodeProto.newBuilder().setOpType("Secret").setDomain("org.private.ops"))
            .build();
    ModelProto.Builder model = mlp().toBuilder();
    model.getGraphBuilder().addNode(ifNode(branch));
    assertRefused(model.build(), "org.private.ops");
  }

  @Test
  void acceptsTheStandardDomainsAndTheModelsOwnFunctions() throws Exception {
    FunctionProto function =
        FunctionProto.newBuilder()
            .setName("Double")
            .setDomain("local.functions")
            .addNode(NodeProto.newBuilder().setOpType("Add").setDomain(""))
            .build();
    ModelProto.Builder model = mlp().toBuilder().addFunctions(function);
    model.addOpsetImport(
        OperatorSetIdProto.newBuilder().setDomain("local.functions").setVersion(1));
    model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3));
    model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
    model
        .getGraphBuilder()
        .addNode(NodeProto.newBuilder().setOpType("Double").setDomain("local.functions"))
        .addNode(NodeProto.newBuilder().setOpType("FusedGemm").setDomain("com.microsoft"));
    assertThat(OnnxSafetyRules.check(model.build())).isEqualTo(17);
  }

  @Test
  void refusesACustomDomainInsideAFunction() throws Exception {
    FunctionProto function =
        FunctionProto.newBuilder()
            .setName("Wrapper")
            .setDomain("local.functions")
            .addNode(NodeProto.newBuilder().setOpType("Hidden").setDomain("vendor.ops"))
            .build();
    assertRefused(mlp().toBuilder().addFunctions(function).build(), "vendor.ops");
  }

  @Test
  void refusesAModelWithoutTheDefaultOpset() throws Exception {
    ModelProto model = mlp().toBuilder().clearOpsetImport().build();
    assertRefused(model, "default operator set");
  }

  @Test
  void refusesSparseInitializers() throws Exception {
    ModelProto.Builder model = mlp().toBuilder();
    GraphProto graph = model.getGraph();
    GraphProto withSparse =
        GraphProto.parseFrom(
            com.google.protobuf.ByteString.copyFrom(graph.toByteArray())
                .concat(sparseInitializerField()));
    model.setGraph(withSparse);
    assertRefused(model.build(), "sparse");
  }

  /** Field 15 (GraphProto.sparse_initializer) as an empty length-delimited message. */
  private static com.google.protobuf.ByteString sparseInitializerField() {
    return com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) ((15 << 3) | 2), 0});
  }
}
