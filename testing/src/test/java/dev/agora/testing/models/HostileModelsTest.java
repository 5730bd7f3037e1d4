package dev.agora.testing.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.OperatorSetIdProto;
import dev.agora.proto.onnx.StringStringEntryProto;
import dev.agora.proto.onnx.TensorProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two models an artifact inspector must refuse: well-formed, but carrying the markers. */
class HostileModelsTest {
  private OrtEnvironment env;
  private OrtSession.SessionOptions options;

  @BeforeEach
  void startRuntime() {
    env = OrtEnvironment.getEnvironment();
    options = new OrtSession.SessionOptions();
  }

  @AfterEach
  void closeOptions() {
    options.close();
  }

  @Test
  void externalDataModelParsesAndPointsOutsideItsDirectory() throws Exception {
    ModelProto model = ModelProto.parseFrom(TestModels.withExternalData());
    assertThat(model.getIrVersion()).isEqualTo(8);
    TensorProto weights = model.getGraph().getInitializer(0);
    assertThat(weights.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
    assertThat(weights.hasRawData()).isFalse();
    assertThat(weights.getFloatDataCount()).isZero();
    assertThat(weights.getExternalDataList())
        .extracting(StringStringEntryProto::getKey, StringStringEntryProto::getValue)
        .contains(tuple("location", "../../etc/passwd"));
    assertThat(TestModels.all().values()).doesNotContain(TestModels.withExternalData());
  }

  @Test
  void customDomainModelParsesAndImportsTheDomain() throws Exception {
    ModelProto model = ModelProto.parseFrom(TestModels.withCustomOpDomain());
    assertThat(model.getGraph().getNodeList())
        .singleElement()
        .extracting(NodeProto::getDomain, NodeProto::getOpType)
        .containsExactly("com.example.custom", "MyOp");
    assertThat(model.getOpsetImportList())
        .extracting(OperatorSetIdProto::getDomain, OperatorSetIdProto::getVersion)
        .contains(tuple("", 17L), tuple("com.example.custom", 1L));
  }

  @Test
  void onnxRuntimeRefusesBothAndStillLoadsAGoodModel() throws OrtException {
    assertThatThrownBy(() -> env.createSession(TestModels.withExternalData(), options).close())
        .isInstanceOf(OrtException.class)
        .hasMessageContaining("../../etc/passwd");
    assertThatThrownBy(() -> env.createSession(TestModels.withCustomOpDomain(), options).close())
        .isInstanceOf(OrtException.class)
        .hasMessageContaining("MyOp");
    try (OrtSession good = env.createSession(TestModels.mlp(), options)) {
      assertThat(good.getInputNames()).containsExactly("input");
    }
  }
}
