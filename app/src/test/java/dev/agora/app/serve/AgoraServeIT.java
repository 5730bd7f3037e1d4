package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.agora.app.Main;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelConfigRequest;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelMetadataRequest;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ServerLiveRequest;
import dev.agora.registry.access.BootstrapOutcome;
import dev.agora.sdk.AgoraClient;
import dev.agora.sdk.AgoraClientException;
import dev.agora.testing.models.TestModels;
import dev.agora.testing.onnx.MlpReference;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agora serve} end to end over real sockets: publish through the CLI, call through the
 * generated stubs, compare with ONNX Runtime's own answer, restart on the same data directory.
 */
class AgoraServeIT {
  private static final int FEATURES = 32;

  @TempDir Path dataDir;
  @TempDir Path work;

  private AgoraServer server;
  private ManagedChannel channel;
  private String adminKey;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void publishesThroughTheCliAndServesTheSameAnswerAsOnnxRuntime() throws Exception {
    start();
    Path mlp = writeModel("mlp.onnx", TestModels.mlp());

    assertThat(publish(mlp, "mlp", "1.0.0")).isZero();

    var stub = inference();
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    ModelMetadataResponse metadata =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("mlp").build());
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 32L);
    assertThat(metadata.getVersionsList()).containsExactly("1.0.0");
    var config = stub.modelConfig(ModelConfigRequest.newBuilder().setName("mlp").build());
    assertThat(config.getConfig().getMaxBatchSize()).isPositive();
    assertThat(config.getConfig().getInput(0).getDimsList()).containsExactly(32L);

    float[] input = randomRows(3);
    assertThat(infer(stub, input, 3))
        .containsExactly(MlpReference.outputs(input, 3), within(1e-6f));
  }

  @Test
  void healthEndpointsAnswerOnBothProtocols() throws Exception {
    start();
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/v2/health/live", "/v2/health/ready"}) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void refusesANonOnnxUploadAndKeepsServing() throws Exception {
    start();
    Path mlp = writeModel("mlp.onnx", TestModels.mlp());
    assertThat(publish(mlp, "mlp", "1.0.0")).isZero();
    Path junk = writeModel("junk.onnx", "this is not a model".getBytes());

    AgoraClientException refused;
    try (AgoraClient client = AgoraClient.connect("127.0.0.1:" + server.grpcPort(), adminKey)) {
      refused =
          catchThrowableOfType(
              AgoraClientException.class, () -> client.upload("mlp", "1.1.0", junk));
    }

    assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.reason()).isEqualTo(ErrorReason.INVALID_ARTIFACT);
    float[] input = randomRows(1);
    assertThat(infer(inference(), input, 1))
        .containsExactly(MlpReference.outputs(input, 1), within(1e-6f));
  }

  @Test
  void unknownModelIsNotFound() throws Exception {
    start();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                inference()
                    .modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void restartOnTheSameDataDirectoryServesWithoutRepublishing() throws Exception {
    start();
    assertThat(publish(writeModel("mlp.onnx", TestModels.mlp()), "mlp", "1.0.0")).isZero();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();

    start();

    float[] input = randomRows(2);
    assertThat(infer(inference(), input, 2))
        .containsExactly(MlpReference.outputs(input, 2), within(1e-6f));
  }

  private void start() throws Exception {
    server =
        new AgoraServer(
                ServeConfig.defaults(dataDir)
                    .withPorts(0, 0)
                    .withShutdownGrace(Duration.ofSeconds(5)))
            .start();
    if (adminKey == null) {
      assertThat(server.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.GENERATED_KEY);
      adminKey = server.bootstrap().adminKey().orElseThrow().value();
    } else {
      assertThat(server.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference() {
    return inference(adminKey);
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference(String key) {
    return withKey(GRPCInferenceServiceGrpc.newBlockingStub(channel), key)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static <S extends AbstractStub<S>> S withKey(S stub, String key) {
    if (key == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private int publish(Path file, String model, String version) {
    return Main.newCommandLine()
        .execute(
            "publish",
            file.toString(),
            "--model",
            model,
            "--version",
            version,
            "--server",
            "127.0.0.1:" + server.grpcPort(),
            "--api-key",
            adminKey);
  }

  private Path writeModel(String name, byte[] bytes) throws Exception {
    return Files.write(work.resolve(name), bytes);
  }

  private static float[] infer(
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub, float[] input, int batch) {
    ByteBuffer raw = ByteBuffer.allocate(input.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(input);
    ModelInferResponse response =
        stub.modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("mlp")
                .addInputs(
                    ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(batch)
                        .addShape(FEATURES))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build());
    assertThat(response.getOutputs(0).getShapeList()).containsExactly((long) batch, 2L);
    FloatBuffer out =
        response
            .getRawOutputContents(0)
            .asReadOnlyByteBuffer()
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    float[] result = new float[out.remaining()];
    out.get(result);
    return result;
  }

  private static float[] randomRows(int batch) {
    SplittableRandom random = new SplittableRandom(batch);
    float[] rows = new float[batch * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) random.nextDouble(-2, 2);
    }
    return rows;
  }

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
