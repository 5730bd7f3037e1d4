package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.testing.inference.ModelStreams;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStreamInferTest {
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

  @Test
  void answersEveryRequestInOrderAndKeepsGoingAfterAFailure() throws Exception {
    List<ModelInferRequest> requests =
        List.of(
            good("first"),
            mlp("bad")
                .addInputs(input("input", "FP32", 1, 31))
                .addRawInputContents(row(31))
                .build(),
            good("third"),
            mlp("unknown-model")
                .setModelName("nope")
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(row(32))
                .build(),
            good("fifth"));

    List<ModelStreamInferResponse> responses = stream(requests);

    assertThat(responses).hasSize(5);
    assertThat(responses)
        .extracting(r -> r.getInferResponse().getId())
        .containsExactly("first", "bad", "third", "unknown-model", "fifth");
    for (int i : new int[] {0, 2, 4}) {
      assertThat(responses.get(i).getErrorMessage()).isEmpty();
      assertThat(responses.get(i).getInferResponse().getRawOutputContentsCount()).isEqualTo(1);
      assertThat(responses.get(i).getInferResponse().getModelVersion()).isEqualTo("1.0.0");
    }
    assertThat(responses.get(1).getErrorMessage()).contains("dimension 1 must be 32");
    assertThat(responses.get(1).getInferResponse().getRawOutputContentsCount()).isZero();
    assertThat(responses.get(3).getErrorMessage()).contains("nope");
  }

  @Test
  void manyRequestsOnOneStreamComeBackInOrder() throws Exception {
    List<ModelInferRequest> requests =
        java.util.stream.IntStream.range(0, 100).mapToObj(i -> good("r" + i)).toList();

    List<ModelStreamInferResponse> responses = stream(requests);

    assertThat(responses)
        .extracting(r -> r.getInferResponse().getId())
        .containsExactlyElementsOf(requests.stream().map(ModelInferRequest::getId).toList());
    assertThat(responses).allSatisfy(r -> assertThat(r.getErrorMessage()).isEmpty());
  }

  private static List<ModelStreamInferResponse> stream(List<ModelInferRequest> requests)
      throws Exception {
    return ModelStreams.exchange(inference.asyncStub(), requests);
  }

  private static ModelInferRequest good(String id) {
    return mlp(id).addInputs(input("input", "FP32", 1, 32)).addRawInputContents(row(32)).build();
  }

  private static ModelInferRequest.Builder mlp(String id) {
    return ModelInferRequest.newBuilder().setModelName(StandardModels.MLP).setId(id);
  }

  private static ByteString row(int count) {
    return Tensors.fp32(Tensors.sampleFp32(count, count));
  }
}
