package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.MalformedCase;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.StatusDetails;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.testing.models.TestModels;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
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

  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "dev.agora.inference.fixtures.MalformedTensorCases#cases",
    "dev.agora.inference.fixtures.MalformedRequestCases#cases"
  })
  void refusesMalformedRequestThenServesAGoodOne(MalformedCase c) {
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

  private static ModelInferRequest.Builder mlp() {
    return ModelInferRequest.newBuilder().setModelName(StandardModels.MLP);
  }

  private static dev.agora.inference.tensor.ModelSignature mlpSignature() {
    return dev.agora.inference.fixtures.TestSignatures.MLP;
  }
}
