package dev.agora.testing.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.TensorProto;
import dev.agora.proto.onnx.TensorShapeProto;
import dev.agora.proto.onnx.ValueInfoProto;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs every generated model in ONNX Runtime and checks signatures and results. */
class TestModelsTest {
  private static OrtEnvironment env;
  private static OrtSession.SessionOptions options;

  @BeforeAll
  static void startRuntime() {
    env = OrtEnvironment.getEnvironment();
    options = new OrtSession.SessionOptions();
  }

  @AfterAll
  static void closeOptions() {
    options.close();
  }

  @Test
  void allListsTheExpectedFiles() {
    assertThat(TestModels.all().keySet())
        .startsWith("mlp.onnx", "int64.onnx", "two_in_two_out.onnx", "static_batch.onnx")
        .contains("identity_fp32.onnx", "identity_bytes.onnx", "identity_bf16.onnx")
        .doesNotContain("identity_uint16.onnx")
        .hasSize(4 + TestModels.ORT_RUNNABLE_DATATYPES.size());
  }

  @Test
  void everyModelIsDeterministicAndDeclaresIrAndOpset() throws Exception {
    Map<String, byte[]> first = TestModels.all();
    Map<String, byte[]> second = TestModels.all();
    for (Map.Entry<String, byte[]> model : first.entrySet()) {
      assertThat(second.get(model.getKey())).as(model.getKey()).isEqualTo(model.getValue());
      ModelProto proto = ModelProto.parseFrom(model.getValue());
      assertThat(proto.getIrVersion()).isEqualTo(8);
      assertThat(proto.getOpsetImportList())
          .singleElement()
          .satisfies(opset -> assertThat(opset.getDomain()).isEmpty())
          .satisfies(opset -> assertThat(opset.getVersion()).isEqualTo(17));
    }
  }

  @Test
  void everyModelLoadsWithTheSignatureItDeclares() throws Exception {
    for (Map.Entry<String, byte[]> model : TestModels.all().entrySet()) {
      ModelProto proto = ModelProto.parseFrom(model.getValue());
      try (OrtSession session = env.createSession(model.getValue(), options)) {
        assertSignature(model.getKey(), proto.getGraph().getInputList(), session.getInputInfo());
        assertSignature(model.getKey(), proto.getGraph().getOutputList(), session.getOutputInfo());
      }
    }
  }

  @Test
  void mlpSignatureIsAsDocumented() throws OrtException {
    try (OrtSession session = env.createSession(TestModels.mlp(), options)) {
      TensorInfo input = (TensorInfo) session.getInputInfo().get("input").getInfo();
      TensorInfo output = (TensorInfo) session.getOutputInfo().get("output").getInfo();
      assertThat(input.onnxType)
          .isEqualTo(TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT);
      assertThat(input.getShape()).containsExactly(-1, 32);
      assertThat(input.getDimensionNames()).containsExactly("batch", "");
      assertThat(output.getShape()).containsExactly(-1, 2);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void mlpMatchesTheJavaReference(int batch) throws OrtException {
    float[] input = randomInputs(batch * 32, batch);
    float[] expected = TestModels.mlpReference(input, batch);
    assertThat(expected).hasSize(batch * 2);
    assertThat(expected).as("reference is not trivially zero").isNotEqualTo(new float[batch * 2]);
    try (OrtSession session = env.createSession(TestModels.mlp(), options);
        OnnxTensor x =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {batch, 32});
        OrtSession.Result result = session.run(Map.of("input", x))) {
      OnnxTensor output = (OnnxTensor) result.get("output").orElseThrow();
      assertThat(output.getInfo().getShape()).containsExactly(batch, 2);
      float[] actual = new float[batch * 2];
      output.getFloatBuffer().get(actual);
      for (int i = 0; i < actual.length; i++) {
        assertThat(actual[i]).as("output[%d]", i).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  @Test
  void mlpReferenceRejectsAWrongInputLength() {
    assertThatThrownBy(() -> TestModels.mlpReference(new float[31], 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TestModels.mlpReference(new float[64], 2)).hasSize(4);
  }

  @Test
  void int64ModelDoubles() throws OrtException {
    long[] ids = {1, -2, 3, Long.MAX_VALUE / 4, 0, 7, -9, 1_000_000_000_000L};
    try (OrtSession session = env.createSession(TestModels.int64Model(), options);
        OnnxTensor x = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {2, 4});
        OrtSession.Result result = session.run(Map.of("ids", x))) {
      OnnxTensor doubled = (OnnxTensor) result.get("doubled").orElseThrow();
      long[] actual = new long[8];
      doubled.getLongBuffer().get(actual);
      for (int i = 0; i < ids.length; i++) {
        assertThat(actual[i]).isEqualTo(ids[i] * 2);
      }
    }
  }

  @Test
  void twoInputTwoOutputAddsAndMultiplies() throws OrtException {
    float[] a = randomInputs(16, 7);
    float[] b = randomInputs(16, 8);
    try (OrtSession session = env.createSession(TestModels.twoInputTwoOutput(), options);
        OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {2, 8});
        OnnxTensor tb = OnnxTensor.createTensor(env, FloatBuffer.wrap(b), new long[] {2, 8});
        OrtSession.Result result = session.run(Map.of("a", ta, "b", tb))) {
      float[] sum = floats(result, "sum", 16);
      float[] product = floats(result, "product", 16);
      for (int i = 0; i < 16; i++) {
        assertThat(sum[i]).isEqualTo(a[i] + b[i]);
        assertThat(product[i]).isEqualTo(a[i] * b[i]);
      }
    }
  }

  @Test
  void staticBatchAppliesReluAndRejectsAnotherBatchSize() throws OrtException {
    try (OrtSession session = env.createSession(TestModels.staticBatch(), options)) {
      TensorInfo x = (TensorInfo) session.getInputInfo().get("x").getInfo();
      assertThat(x.getShape()).containsExactly(1, 16);
      try (OnnxTensor wrong =
          OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[32]), new long[] {2, 16})) {
        assertThatThrownBy(() -> session.run(Map.of("x", wrong))).isInstanceOf(OrtException.class);
      }
      float[] input = randomInputs(16, 5);
      try (OnnxTensor good = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), x.getShape());
          OrtSession.Result result = session.run(Map.of("x", good))) {
        float[] y = floats(result, "y", 16);
        for (int i = 0; i < 16; i++) {
          assertThat(y[i]).isEqualTo(Math.max(0f, input[i]));
        }
      }
    }
  }

  private static void assertSignature(
      String model, List<ValueInfoProto> declared, Map<String, NodeInfo> actual) {
    assertThat(actual.keySet())
        .as(model)
        .containsExactlyElementsOf(declared.stream().map(ValueInfoProto::getName).toList());
    for (ValueInfoProto value : declared) {
      TensorInfo info = (TensorInfo) actual.get(value.getName()).getInfo();
      TensorProto.DataType declaredType =
          TensorProto.DataType.forNumber(value.getType().getTensorType().getElemType());
      // ORT Java's enum ordinal values differ from ONNX's numbers; its names match ONNX's.
      assertThat(info.onnxType.name())
          .as("%s %s type", model, value.getName())
          .isEqualTo("ONNX_TENSOR_ELEMENT_DATA_TYPE_" + declaredType.name());
      long[] dims =
          value.getType().getTensorType().getShape().getDimList().stream()
              .mapToLong(d -> d.hasDimParam() ? -1 : d.getDimValue())
              .toArray();
      assertThat(info.getShape()).as("%s %s shape", model, value.getName()).containsExactly(dims);
      assertThat(value.getType().getTensorType().getShape().getDimList())
          .extracting(TensorShapeProto.Dimension::getDimParam)
          .containsExactly(info.getDimensionNames());
    }
  }

  private static float[] floats(OrtSession.Result result, String name, int count) {
    float[] values = new float[count];
    ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer().get(values);
    return values;
  }

  private static float[] randomInputs(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return values;
  }
}
