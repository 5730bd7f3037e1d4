package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static dev.agora.inference.fixtures.Tensors.fp32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtException;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.inference.tensor.Datatype;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.agora.proto.inference.InferTensorContents;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import dev.agora.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.testing.models.TestModels;
import dev.agora.testing.onnx.MlpReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelInferTest {
  @TempDir static Path cacheDir;
  static InProcessInference inference;

  @BeforeAll
  static void startServer() {
    inference = InProcessInference.started(cacheDir, StandardModels.catalog());
  }

  @AfterAll
  static void stopServer() {
    inference.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void mlpWithRawInputMatchesOnnxRuntime(int batch) throws OrtException {
    float[] input = Tensors.sampleFp32(batch * 32, batch);
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName(StandardModels.MLP)
            .setId("raw-" + batch)
            .addInputs(input("input", "FP32", batch, 32))
            .addRawInputContents(fp32(input))
            .build();

    ModelInferResponse response = inference.stub().modelInfer(request);

    assertThat(response.getModelName()).isEqualTo(StandardModels.MLP);
    assertThat(response.getModelVersion()).isEqualTo(StandardModels.VERSION);
    assertThat(response.getId()).isEqualTo("raw-" + batch);
    assertThat(response.getOutputsCount()).isEqualTo(1);
    assertThat(response.getOutputs(0).getName()).isEqualTo("output");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly((long) batch, 2L);
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getRawOutputContentsCount()).isEqualTo(1);
    assertClose(
        Tensors.toFp32(response.getRawOutputContents(0)), MlpReference.outputs(input, batch));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void mlpWithTypedInputMatchesOnnxRuntime(int batch) throws OrtException {
    float[] input = Tensors.sampleFp32(batch * 32, 100 + batch);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : input) {
      contents.addFp32Contents(value);
    }
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName(StandardModels.MLP)
            .setModelVersion(StandardModels.VERSION)
            .addInputs(input("input", "FP32", batch, 32).setContents(contents))
            .build();

    ModelInferResponse response = inference.stub().modelInfer(request);

    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getRawOutputContentsCount()).isEqualTo(1);
    assertClose(
        Tensors.toFp32(response.getRawOutputContents(0)), MlpReference.outputs(input, batch));
  }

  @Test
  void int64ModelWithRawAndTypedInput() {
    long[] ids = {1, -2, 3, Long.MAX_VALUE / 4, 5, 6, 7, 8};
    ModelInferRequest raw =
        ModelInferRequest.newBuilder()
            .setModelName(StandardModels.INT64)
            .addInputs(input("ids", "INT64", 2, 4))
            .addRawInputContents(Tensors.int64(ids))
            .build();
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (long id : ids) {
      contents.addInt64Contents(id);
    }
    ModelInferRequest typed =
        ModelInferRequest.newBuilder()
            .setModelName(StandardModels.INT64)
            .addInputs(input("ids", "INT64", 2, 4).setContents(contents))
            .build();

    long[] doubled = {2, -4, 6, Long.MAX_VALUE / 4 * 2, 10, 12, 14, 16};
    for (ModelInferRequest request : new ModelInferRequest[] {raw, typed}) {
      ModelInferResponse response = inference.stub().modelInfer(request);
      assertThat(response.getOutputs(0).getName()).isEqualTo("doubled");
      assertThat(response.getOutputs(0).getDatatype()).isEqualTo("INT64");
      assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
      assertThat(Tensors.toInt64(response.getRawOutputContents(0))).containsExactly(doubled);
    }
  }

  @Test
  void twoInputTwoOutputReturnsRequestedOutputsInRequestedOrder() {
    float[] a = Tensors.sampleFp32(8, 1);
    float[] b = Tensors.sampleFp32(8, 2);
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder()
            .setModelName(StandardModels.TWO_IN_TWO_OUT)
            .addInputs(input("b", "FP32", 1, 8))
            .addInputs(input("a", "FP32", 1, 8))
            .addRawInputContents(fp32(b))
            .addRawInputContents(fp32(a));

    ModelInferResponse both =
        inference
            .stub()
            .modelInfer(
                request.clone().addOutputs(output("product")).addOutputs(output("sum")).build());
    ModelInferResponse onlySum =
        inference.stub().modelInfer(request.clone().addOutputs(output("sum")).build());
    ModelInferResponse all = inference.stub().modelInfer(request.build());

    float[] sum = new float[8];
    float[] product = new float[8];
    for (int i = 0; i < 8; i++) {
      sum[i] = a[i] + b[i];
      product[i] = a[i] * b[i];
    }
    assertThat(both.getOutputsList())
        .extracting(o -> o.getName())
        .containsExactly("product", "sum");
    assertThat(Tensors.toFp32(both.getRawOutputContents(0))).containsExactly(product);
    assertThat(Tensors.toFp32(both.getRawOutputContents(1))).containsExactly(sum);
    assertThat(onlySum.getOutputsList()).extracting(o -> o.getName()).containsExactly("sum");
    assertThat(onlySum.getRawOutputContentsCount()).isEqualTo(1);
    assertThat(Tensors.toFp32(onlySum.getRawOutputContents(0))).containsExactly(sum);
    assertThat(all.getOutputsList()).extracting(o -> o.getName()).containsExactly("sum", "product");
    assertThat(all.getRawOutputContentsCount()).isEqualTo(2);
  }

  @Test
  void identityFp64TypedAndRaw() {
    double[] values = {1.5, -2.25, Double.MAX_VALUE, Double.MIN_VALUE, 0, -0.0, 1e-300, 7};
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (double value : values) {
      contents.addFp64Contents(value);
    }
    ByteString expected = Tensors.fp64(values);
    assertIdentity(Datatype.FP64, contents.build(), expected);
    assertIdentity(Datatype.FP64, null, expected);
    assertThat(Tensors.toFp64(expected)).containsExactly(values);
  }

  @Test
  void identityInt32TypedAndRaw() {
    int[] values = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42, -42, 7};
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (int value : values) {
      contents.addIntContents(value);
    }
    ByteString expected = Tensors.int32(values);
    assertIdentity(Datatype.INT32, contents.build(), expected);
    assertIdentity(Datatype.INT32, null, expected);
    assertThat(Tensors.toInt32(expected)).containsExactly(values);
  }

  @Test
  void identityBoolTypedAndRawUsesOneBytePerElement() {
    boolean[] values = {true, false, false, true, true, true, false, false};
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (boolean value : values) {
      contents.addBoolContents(value);
    }
    ByteString expected = Tensors.bool(values);
    assertThat(expected.size()).isEqualTo(8);
    assertIdentity(Datatype.BOOL, contents.build(), expected);
    assertIdentity(Datatype.BOOL, null, expected);
  }

  @Test
  void identityNarrowIntegersTypedAndFp16Raw() {
    InferTensorContents.Builder int8 = InferTensorContents.newBuilder();
    InferTensorContents.Builder uint8 = InferTensorContents.newBuilder();
    byte[] int8Bytes = {-128, -1, 0, 1, 127, 5, 6, 7};
    byte[] uint8Bytes = {0, 1, (byte) 200, (byte) 255, 3, 4, 5, 6};
    for (int i = 0; i < 8; i++) {
      int8.addIntContents(int8Bytes[i]);
      uint8.addUintContents(Byte.toUnsignedInt(uint8Bytes[i]));
    }
    assertIdentity(Datatype.INT8, int8.build(), ByteString.copyFrom(int8Bytes));
    assertIdentity(Datatype.UINT8, uint8.build(), ByteString.copyFrom(uint8Bytes));
    byte[] halves = new byte[16];
    for (int i = 0; i < halves.length; i++) {
      halves[i] = (byte) (i * 7);
    }
    assertIdentity(Datatype.FP16, null, ByteString.copyFrom(halves));
  }

  @Test
  void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
    GRPCInferenceServiceFutureStub stub =
        GRPCInferenceServiceGrpc.newFutureStub(inference.channel());
    List<float[]> inputs = new ArrayList<>();
    List<ListenableFuture<ModelInferResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int batch = 1 + i % 3;
      float[] input = Tensors.sampleFp32(batch * 32, 1000 + i);
      inputs.add(input);
      answers.add(
          stub.modelInfer(
              ModelInferRequest.newBuilder()
                  .setModelName(StandardModels.MLP)
                  .setId("c" + i)
                  .addInputs(input("input", "FP32", batch, 32))
                  .addRawInputContents(fp32(input))
                  .build()));
    }
    for (int i = 0; i < 64; i++) {
      ModelInferResponse response = answers.get(i).get(30, TimeUnit.SECONDS);
      float[] input = inputs.get(i);
      assertThat(response.getId()).isEqualTo("c" + i);
      float[] expected = TestModels.mlpReference(input, input.length / 32);
      float[] actual = Tensors.toFp32(response.getRawOutputContents(0));
      assertThat(actual).hasSameSizeAs(expected);
      for (int j = 0; j < expected.length; j++) {
        assertThat(actual[j]).isCloseTo(expected[j], within(1e-4f));
      }
    }
  }

  private static void assertIdentity(
      Datatype datatype, InferTensorContents typed, ByteString expectedRaw) {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder().setModelName(StandardModels.identity(datatype));
    InferInputTensor.Builder header = input("x", datatype.name(), 2, 4);
    if (typed != null) {
      request.addInputs(header.setContents(typed));
    } else {
      request.addInputs(header).addRawInputContents(expectedRaw);
    }
    ModelInferResponse response = inference.stub().modelInfer(request.build());
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo(datatype.name());
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getRawOutputContents(0)).isEqualTo(expectedRaw);
  }

  private static InferRequestedOutputTensor output(String name) {
    return InferRequestedOutputTensor.newBuilder().setName(name).build();
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
    }
  }

  /** The MLP's output computed by ONNX Runtime directly, without Agora. */
}
