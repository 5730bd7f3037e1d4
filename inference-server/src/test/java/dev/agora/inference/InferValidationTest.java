package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.StatusDetails;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.proto.inference.InferTensorContents;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed request gets a precise status, and the server keeps serving afterwards. */
class InferValidationTest {
  @TempDir static Path cacheDir;
  static InProcessInference inference;

  @BeforeAll
  static void startServer() {
    inference =
        InProcessInference.started(
            cacheDir,
            StandardModels.catalog()
                .draft(StandardModels.MLP, "2.0.0-draft", TestModels.mlp(), mlpSignature()));
  }

  @AfterAll
  static void stopServer() {
    inference.close();
  }

  record Case(
      String name,
      ModelInferRequest request,
      Status.Code code,
      String reason,
      String field,
      String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    ByteString row = Tensors.fp32(new float[32]);
    return Stream.of(
        invalid(
            "unknown input",
            mlp().addInputs(input("nope", "FP32", 1, 32)).addRawInputContents(row),
            "inputs[0]",
            "unknown input 'nope'"),
        invalid(
            "missing input",
            ModelInferRequest.newBuilder()
                .setModelName(StandardModels.TWO_IN_TWO_OUT)
                .addInputs(input("a", "FP32", 1, 8))
                .addRawInputContents(Tensors.fp32(new float[8])),
            "inputs",
            "missing input 'b'"),
        invalid(
            "duplicate input",
            mlp()
                .addInputs(input("input", "FP32", 1, 32))
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row)
                .addRawInputContents(row),
            "inputs[1]",
            "input 'input' appears more than once"),
        invalid(
            "wrong datatype",
            mlp().addInputs(input("input", "FP64", 1, 32)).addRawInputContents(row.concat(row)),
            "inputs[0]",
            "input 'input' has datatype FP64 but the model expects FP32"),
        invalid(
            "wrong rank",
            mlp().addInputs(input("input", "FP32", 32)).addRawInputContents(row),
            "inputs[0]",
            "input 'input' has shape [32] of rank 1"),
        invalid(
            "wrong dimension",
            mlp()
                .addInputs(input("input", "FP32", 1, 31))
                .addRawInputContents(Tensors.fp32(new float[31])),
            "inputs[0]",
            "dimension 1 must be 32"),
        invalid(
            "negative dimension",
            mlp().addInputs(input("input", "FP32", -1, 32)).addRawInputContents(row),
            "inputs[0]",
            "input 'input' has shape [-1, 32] with negative dimension -1"),
        invalid(
            "raw byte length mismatch",
            mlp()
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(ByteString.copyFrom(new byte[100])),
            "raw_input_contents[0]",
            "input 'input' with shape [1, 32] of FP32 needs 128 bytes, but raw_input_contents[0]"
                + " holds 100"),
        invalid(
            "raw entry count mismatch",
            ModelInferRequest.newBuilder()
                .setModelName(StandardModels.TWO_IN_TWO_OUT)
                .addInputs(input("a", "FP32", 1, 8))
                .addInputs(input("b", "FP32", 1, 8))
                .addRawInputContents(Tensors.fp32(new float[8])),
            "raw_input_contents",
            "raw_input_contents has 1 entries for 2 inputs"),
        invalid(
            "typed contents and raw contents together",
            mlp()
                .addInputs(
                    input("input", "FP32", 1, 32)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
                .addRawInputContents(row),
            "inputs[0].contents",
            "input 'input' sets contents while the request uses raw_input_contents"),
        invalid(
            "typed value count mismatch",
            mlp().addInputs(input("input", "FP32", 1, 32).setContents(fp32Contents(31))),
            "inputs[0]",
            "input 'input' with shape [1, 32] needs 32 values in contents.fp32_contents, got 31"),
        invalid(
            "typed values in the wrong field",
            mlp()
                .addInputs(
                    input("input", "FP32", 1, 32)
                        .setContents(InferTensorContents.newBuilder().addFp64Contents(1.0))),
            "inputs[0]",
            "needs 32 values in contents.fp32_contents, got 0"),
        invalid(
            "element count overflows long",
            mlp()
                .addInputs(input("input", "FP32", Long.MAX_VALUE / 16, 32))
                .addRawInputContents(ByteString.copyFrom(new byte[16])),
            "inputs[0]",
            "input 'input' has shape [576460752303423487, 32], too many elements"),
        invalid(
            "2 GiB claimed with a 16-byte payload",
            mlp()
                .addInputs(input("input", "FP32", 16_777_216, 32))
                .addRawInputContents(ByteString.copyFrom(new byte[16])),
            "raw_input_contents[0]",
            "needs 2147483648 bytes, but raw_input_contents[0] holds 16"),
        invalid(
            "INT8 value out of range",
            ModelInferRequest.newBuilder()
                .setModelName("identity-int8")
                .addInputs(
                    input("x", "INT8", 1, 4)
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addIntContents(1)
                                .addIntContents(300)
                                .addIntContents(2)
                                .addIntContents(3))),
            "inputs[0].contents",
            "input 'x' (INT8): value 300 at index 1 is outside [-128, 127]"),
        invalid(
            "unknown requested output",
            mlp()
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row)
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("nope")),
            "outputs[0]",
            "unknown output 'nope'"),
        new Case(
            "unknown model",
            ModelInferRequest.newBuilder()
                .setModelName("no-such-model")
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row)
                .build(),
            Status.Code.NOT_FOUND,
            "MODEL_NOT_FOUND",
            null,
            "no-such-model"),
        new Case(
            "unknown version",
            mlp()
                .setModelVersion("9.9.9")
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row)
                .build(),
            Status.Code.NOT_FOUND,
            "VERSION_NOT_FOUND",
            null,
            "9.9.9"),
        new Case(
            "draft version",
            mlp()
                .setModelVersion("2.0.0-draft")
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row)
                .build(),
            Status.Code.NOT_FOUND,
            "VERSION_NOT_FOUND",
            null,
            "not published"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesMalformedRequestThenServesAGoodOne(Case c) {
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> inference.stub().modelInfer(c.request()));

    assertThat(failure).as("the request must fail").isNotNull();
    assertThat(failure.getStatus().getCode()).isEqualTo(c.code());
    assertThat(StatusDetails.reason(failure)).isEqualTo(c.reason());
    assertThat(failure.getStatus().getDescription()).contains(c.fragment());
    if (c.field() != null) {
      assertThat(StatusDetails.fieldViolations(failure))
          .anySatisfy(
              (BadRequest.FieldViolation v) -> {
                assertThat(v.getField()).isEqualTo(c.field());
                assertThat(v.getDescription()).contains(c.fragment());
              });
    }
    assertGoodRequestSucceeds();
  }

  private static void assertGoodRequestSucceeds() {
    ModelInferResponse response =
        inference
            .stub()
            .modelInfer(
                mlp()
                    .addInputs(input("input", "FP32", 1, 32))
                    .addRawInputContents(Tensors.fp32(Tensors.sampleFp32(32, 7)))
                    .build());
    assertThat(response.getRawOutputContents(0).size()).isEqualTo(8);
  }

  private static Case invalid(
      String name, ModelInferRequest.Builder request, String field, String fragment) {
    return new Case(
        name, request.build(), Status.Code.INVALID_ARGUMENT, "INVALID_TENSOR", field, fragment);
  }

  private static ModelInferRequest.Builder mlp() {
    return ModelInferRequest.newBuilder().setModelName(StandardModels.MLP);
  }

  private static InferTensorContents fp32Contents(int count) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (int i = 0; i < count; i++) {
      contents.addFp32Contents(i);
    }
    return contents.build();
  }

  private static dev.agora.inference.tensor.ModelSignature mlpSignature() {
    return dev.agora.inference.fixtures.TestSignatures.MLP;
  }
}
