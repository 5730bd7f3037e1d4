package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import dev.agora.app.Main;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.proto.inference.RepositoryIndexRequest;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.DeprecateVersionRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.RetireVersionRequest;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.testing.inference.ModelStreams;
import dev.agora.testing.models.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agora serve} over real sockets while the catalog changes under load: new versions are
 * warmed before they take traffic, a broken release never takes any, aliases move, deprecated
 * versions warn in their response headers and retired versions are refused naming the successor.
 */
class ServingFollowsTheRegistryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Metadata.Key<String> DEPRECATION =
      Metadata.Key.of("agora-deprecation", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SUCCESSOR =
      Metadata.Key.of("agora-successor-version", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dataDir;
  @TempDir Path work;

  private AgoraServer server;
  private ManagedChannel channel;
  private String adminKey;

  @BeforeEach
  void start() throws Exception {
    server =
        new AgoraServer(
                ServeConfig.defaults(dataDir)
                    .withPorts(0, 0)
                    .withShutdownGrace(Duration.ofSeconds(5)))
            .start();
    adminKey = server.bootstrap().adminKey().orElseThrow().value();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void publishingUnderLoadFailsNoRequestAndABrokenReleaseNeverServes() throws Exception {
    publish(TestModels.mlp(), "1.0.0");
    Load load = new Load();
    try {
      await().atMost(WAIT).until(() -> load.answeredBy.containsKey("1.0.0"));

      publish(TestModels.mlpRelease(2), "1.1.0");
      await().atMost(WAIT).until(() -> load.answeredBy.containsKey("1.1.0"));
      assertThat(versionState("1.1.0")).contains("READY");

      publish(TestModels.failsAtRunTime(), "1.2.0");
      await().atMost(WAIT).until(() -> versionState("1.2.0").isPresent());
      await().atMost(WAIT).until(() -> versionState("1.2.0").orElseThrow().equals("UNAVAILABLE"));
      assertThat(index("1.2.0").getReason()).contains("warm-up");
      long servedAfterBrokenRelease = load.answeredBy.get("1.1.0").get();
      await()
          .atMost(WAIT)
          .until(() -> load.answeredBy.get("1.1.0").get() > servedAfterBrokenRelease + 20);
      assertThat(infer("1.0.0").getModelVersion()).isEqualTo("1.0.0");
    } finally {
      load.stop();
    }
    assertThat(load.failures.get()).as("failed requests under load").isZero();
    assertThat(load.answeredBy).doesNotContainKey("1.2.0");
    assertThat(load.firstFailure.get()).isNull();
  }

  @Test
  void aliasesDeprecationAndRetirementReachServing() throws Exception {
    publish(TestModels.mlp(), "1.0.0");
    publish(TestModels.mlpRelease(2), "1.1.0");
    var aliases = withKey(AliasServiceGrpc.newBlockingStub(channel));
    aliases.setAlias(
        SetAliasRequest.newBuilder()
            .setModel("mlp")
            .setAlias("stable")
            .setVersion("1.0.0")
            .build());
    assertThat(infer("stable").getModelVersion()).isEqualTo("1.0.0");

    aliases.setAlias(
        SetAliasRequest.newBuilder()
            .setModel("mlp")
            .setAlias("stable")
            .setVersion("1.1.0")
            .build());
    await().atMost(WAIT).until(() -> infer("stable").getModelVersion().equals("1.1.0"));
    assertThat(infer("latest").getModelVersion()).isEqualTo("1.1.0");

    var registry = withKey(RegistryServiceGrpc.newBlockingStub(channel));
    Instant sunset = Instant.now().plus(Duration.ofDays(45));
    registry.deprecateVersion(
        DeprecateVersionRequest.newBuilder()
            .setModel("mlp")
            .setVersion("1.0.0")
            .setSunsetTime(Timestamp.newBuilder().setSeconds(sunset.getEpochSecond()))
            .setSuccessorVersion("1.1.0")
            .build());
    await().atMost(WAIT).until(() -> headersOf("1.0.0").containsKey(DEPRECATION));
    Metadata headers = headersOf("1.0.0");
    assertThat(headers.get(DEPRECATION))
        .contains("'1.0.0'")
        .contains("deprecated")
        .contains("move to version 1.1.0");
    assertThat(headers.get(SUCCESSOR)).isEqualTo("1.1.0");
    assertThat(headersOf("1.1.0").containsKey(DEPRECATION)).isFalse();
    HttpResponse<String> rest = restInfer("1.0.0");
    assertThat(rest.statusCode()).isEqualTo(200);
    assertThat(rest.headers().firstValue("agora-deprecation")).contains(headers.get(DEPRECATION));
    assertThat(rest.headers().firstValue("agora-successor-version")).contains("1.1.0");
    assertThat(rest.headers().firstValue("sunset").orElseThrow()).endsWith(" GMT");
    assertThat(restInfer("1.1.0").headers().firstValue("agora-deprecation")).isEmpty();
    List<ModelInferResponse> streamed = streamInfer("1.0.0", "1.1.0");
    assertThat(streamed.get(0).getParametersMap())
        .containsKeys("agora-deprecation", "agora-successor-version", "agora-sunset");
    assertThat(streamed.get(0).getParametersMap().get("agora-deprecation").getStringParam())
        .isEqualTo(headers.get(DEPRECATION));
    assertThat(streamed.get(0).getParametersMap().get("agora-successor-version").getStringParam())
        .isEqualTo("1.1.0");
    assertThat(streamed.get(0).getParametersMap().get("agora-sunset").getStringParam())
        .isEqualTo(Instant.ofEpochSecond(sunset.getEpochSecond()).toString());
    assertThat(streamed.get(1).getParametersMap()).doesNotContainKey("agora-deprecation");

    registry.retireVersion(
        RetireVersionRequest.newBuilder().setModel("mlp").setVersion("1.0.0").build());
    await()
        .atMost(WAIT)
        .until(() -> versionState("1.0.0").map(s -> s.equals("UNAVAILABLE")).orElse(false));
    StatusRuntimeException refused =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("1.0.0"));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("retired").contains("1.1.0");
    ErrorInfo info =
        StatusProto.fromThrowable(refused).getDetailsList().stream()
            .filter(d -> d.is(ErrorInfo.class))
            .map(d -> unpack(d))
            .findFirst()
            .orElseThrow();
    assertThat(info.getReason()).isEqualTo("LIFECYCLE_VIOLATION");
    assertThat(info.getMetadataMap()).containsEntry("successor_version", "1.1.0");
    assertThat(infer("").getModelVersion()).isEqualTo("1.1.0");
  }

  /** Two threads calling ModelInfer without a version until stopped. */
  private final class Load {
    final Map<String, AtomicLong> answeredBy = new ConcurrentHashMap<>();
    final AtomicLong failures = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    final ExecutorService threads = Executors.newFixedThreadPool(2);

    Load() {
      for (int i = 0; i < 2; i++) {
        threads.execute(
            () -> {
              while (running.get()) {
                try {
                  String version = infer("").getModelVersion();
                  answeredBy.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
                } catch (RuntimeException failure) {
                  failures.incrementAndGet();
                  firstFailure.compareAndSet(null, failure);
                }
              }
            });
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private ModelInferResponse infer(String version) {
    return inference().modelInfer(request(version));
  }

  /** One {@code ModelStreamInfer} call with a request for each version, answered in order. */
  private List<ModelInferResponse> streamInfer(String... versions) throws Exception {
    List<ModelStreamInferResponse> answers =
        ModelStreams.exchange(
            withKey(GRPCInferenceServiceGrpc.newStub(channel))
                .withDeadlineAfter(30, TimeUnit.SECONDS),
            Arrays.stream(versions).map(ServingFollowsTheRegistryIT::request).toList());
    assertThat(answers).extracting(ModelStreamInferResponse::getErrorMessage).containsOnly("");
    List<ModelInferResponse> responses =
        answers.stream().map(ModelStreamInferResponse::getInferResponse).toList();
    assertThat(responses).extracting(ModelInferResponse::getModelVersion).containsExactly(versions);
    return responses;
  }

  private HttpResponse<String> restInfer(String version) throws Exception {
    String body =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,32],"
            + "\"data\":["
            + String.join(",", java.util.Collections.nCopies(32, "0"))
            + "]}]}";
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.httpPort()
                            + "/v2/models/mlp/versions/"
                            + version
                            + "/infer"))
                .header("authorization", "Bearer " + adminKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private Metadata headersOf(String version) {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    inference()
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .modelInfer(request(version));
    return headers.get();
  }

  private static ModelInferRequest request(String version) {
    return ServeFixture.mlpRequest(1, "FP32").toBuilder().setModelVersion(version).build();
  }

  private Optional<String> versionState(String version) {
    RepositoryIndexResponse.ModelIndex entry = index(version);
    return entry == null ? Optional.empty() : Optional.of(entry.getState());
  }

  private RepositoryIndexResponse.ModelIndex index(String version) {
    return inference()
        .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
        .getModelsList()
        .stream()
        .filter(m -> m.getName().equals("mlp") && m.getVersion().equals(version))
        .findFirst()
        .orElse(null);
  }

  private GRPCInferenceServiceBlockingStub inference() {
    return withKey(GRPCInferenceServiceGrpc.newBlockingStub(channel))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private <S extends AbstractStub<S>> S withKey(S stub) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminKey);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private void publish(byte[] model, String version) throws Exception {
    Path file = Files.write(work.resolve("mlp-" + version + ".onnx"), model);
    int exit =
        Main.newCommandLine()
            .execute(
                "publish",
                file.toString(),
                "--model",
                "mlp",
                "--version",
                version,
                "--server",
                "127.0.0.1:" + server.grpcPort(),
                "--api-key",
                adminKey);
    assertThat(exit).as("publish " + version).isZero();
  }

  private static ErrorInfo unpack(com.google.protobuf.Any detail) {
    try {
      return detail.unpack(ErrorInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
