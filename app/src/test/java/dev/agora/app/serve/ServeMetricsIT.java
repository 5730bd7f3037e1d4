package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelReadyRequest;
import dev.agora.proto.inference.ServerReadyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics and health of {@code agora serve} over real sockets: ModelInfer on the gRPC port moves
 * the {@code agora_inference_*} series that {@code GET /metrics} on the HTTP port shows, and health
 * on both protocols follows the inference server and the repository.
 */
class ServeMetricsIT {
  private static final String MLP = "{model=\"mlp\",version=\"1.0.0\"}";

  @TempDir static Path dataDir;
  private static ServeFixture serve;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(dataDir, Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    serve.close();
  }

  @Test
  void inferenceMovesTheCountersAndHistogramsOfItsModelVersion() throws Exception {
    serve.inference().modelInfer(ServeFixture.mlpRequest(1, "FP32"));
    Map<String, Double> before = scrape();

    ModelInferResponse one = serve.inference().modelInfer(ServeFixture.mlpRequest(1, "FP32"));
    ModelInferResponse three = serve.inference().modelInfer(ServeFixture.mlpRequest(3, "FP32"));
    Map<String, Double> after = scrape();

    assertThat(one.getModelVersion()).isEqualTo("1.0.0");
    assertThat(three.getOutputs(0).getShapeList()).containsExactly(3L, 2L);
    assertThat(delta(before, after, "agora_inference_request_success_total" + MLP)).isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_count_total" + MLP)).isEqualTo(4);
    assertThat(delta(before, after, "agora_inference_exec_count_total" + MLP)).isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_request_failure_total" + MLP)).isZero();
    assertThat(delta(before, after, "agora_inference_request_duration_us_total" + MLP))
        .isPositive();
    assertThat(delta(before, after, "agora_inference_compute_infer_duration_us_total" + MLP))
        .isPositive();
    assertThat(delta(before, after, "agora_inference_request_histogram_us_count" + MLP))
        .isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_queue_histogram_us_count" + MLP)).isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_compute_histogram_us_count" + MLP))
        .isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_batch_size_count" + MLP)).isEqualTo(2);
    assertThat(delta(before, after, "agora_inference_batch_size_sum" + MLP)).isEqualTo(4);
    assertThat(
            delta(
                before,
                after,
                "agora_inference_batch_size_bucket{model=\"mlp\",version=\"1.0.0\",le=\"1.0\"}"))
        .isEqualTo(1);
    assertThat(after.get("agora_inference_model_versions{state=\"READY\"}")).isEqualTo(1);
    assertThat(after.get("agora_inference_model_cache_bytes")).isPositive();
    assertThat(after.get("agora_inference_model_cache_budget_bytes"))
        .isGreaterThanOrEqualTo(after.get("agora_inference_model_cache_bytes"));
    assertThat(after.get("agora_server_ready")).isEqualTo(1);
    assertThat(after.get("agora_server_draining")).isZero();
  }

  @Test
  void aRefusedRequestCountsAsAFailureAndTheNextGoodOneAsASuccess() throws Exception {
    serve.inference().modelInfer(ServeFixture.mlpRequest(1, "FP32"));
    Map<String, Double> before = scrape();

    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> serve.inference().modelInfer(ServeFixture.mlpRequest(1, "INT32")));
    Map<String, Double> afterFailure = scrape();
    serve.inference().modelInfer(ServeFixture.mlpRequest(2, "FP32"));
    Map<String, Double> afterSuccess = scrape();

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    String failures = "agora_inference_request_failure_total" + MLP;
    String successes = "agora_inference_request_success_total" + MLP;
    assertThat(delta(before, afterFailure, failures)).isEqualTo(1);
    assertThat(delta(before, afterFailure, successes)).isZero();
    assertThat(delta(afterFailure, afterSuccess, successes)).isEqualTo(1);
    assertThat(delta(afterFailure, afterSuccess, failures)).isZero();
  }

  @Test
  void metricsAreServedWithoutAKeyInPrometheusTextFormat() throws Exception {
    serve.inference().modelInfer(ServeFixture.mlpRequest(1, "FP32"));

    HttpResponse<String> response = serve.get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    assertThat(response.body())
        .contains("# TYPE agora_inference_request_success_total counter")
        .contains("# TYPE agora_inference_request_histogram_us histogram");
    assertThat(serve.get("/v2/models/mlp").statusCode())
        .as("the REST API still wants a key")
        .isEqualTo(401);
  }

  @Test
  void healthFollowsTheInferenceServerAndModelReadinessTheRepository() throws Exception {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(serve.channel);
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference = serve.inference();

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService(GRPCInferenceServiceGrpc.SERVICE_NAME)
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(inference.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(serve.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(serve.server.isReady()).isTrue();

    assertThat(inference.modelReady(ready("mlp", "")).getReady()).isTrue();
    assertThat(inference.modelReady(ready("mlp", "1.0.0")).getReady()).isTrue();
    assertThat(inference.modelReady(ready("mlp", "9.9.9")).getReady()).isFalse();
    assertThat(inference.modelReady(ready("nope", "")).getReady()).isFalse();
    assertThat(serve.getWithKey("/v2/models/mlp/versions/1.0.0/ready").statusCode()).isEqualTo(200);
    assertThat(serve.getWithKey("/v2/models/nope/ready").statusCode()).isEqualTo(400);
    assertThat(scrape().get("agora_http_requests_in_flight"))
        .as("every answered REST request has left the count")
        .isZero();
    assertThat(scrape().get("agora_inference_model_versions{state=\"READY\"}")).isEqualTo(1);
  }

  private static ModelReadyRequest ready(String model, String version) {
    return ModelReadyRequest.newBuilder().setName(model).setVersion(version).build();
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    assertThat(after).as("series " + key).containsKey(key);
    return after.get(key) - before.getOrDefault(key, 0.0);
  }

  /** Every sample of a scrape, keyed by series name and labels as written. */
  private static Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = serve.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
