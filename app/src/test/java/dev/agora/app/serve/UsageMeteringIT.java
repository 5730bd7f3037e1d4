package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.agora.app.Main;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.QueryUsageRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import dev.agora.testing.models.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage metering through {@code agora serve} over real sockets: a consumer team's calls over gRPC
 * and REST are counted, reported to the registry by the flusher, show in its cost-allocation
 * report, and take the model off the "no consumers" curation list.
 */
class UsageMeteringIT {
  private static final int FEATURES = 32;

  @TempDir Path dataDir;
  @TempDir Path work;

  private AgoraServer server;
  private ManagedChannel channel;
  private String adminKey;

  @BeforeEach
  void start() throws Exception {
    server = ServeFixture.startReportingUsageQuickly(dataDir);
    adminKey = server.bootstrap().adminKey().orElseThrow().value();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void aConsumersCallsAreReportedAndTakeTheModelOffTheUnusedList() throws Exception {
    createTeam("fraud", "pat", Role.ROLE_PUBLISHER);
    createTeam("growth", "cora", Role.ROLE_CONSUMER);
    String pat = createKey("fraud", "pat").getToken();
    CreateApiKeyResponse coraKey = createKey("growth", "cora");
    String cora = coraKey.getToken();
    Path mlp = Files.write(work.resolve("mlp.onnx"), TestModels.mlp());
    assertThat(publish(mlp, pat)).isZero();

    // an old call, reported as an inference server would (the administrator key may report)
    Instant longAgo = Instant.now().minus(Duration.ofDays(60));
    withKey(UsageServiceGrpc.newBlockingStub(channel), adminKey)
        .reportUsage(
            ReportUsageRequest.newBuilder()
                .addCounts(
                    UsageCount.newBuilder()
                        .setDay(LocalDate.ofInstant(longAgo, ZoneOffset.UTC).toString())
                        .setModel("mlp")
                        .setConsumerTeam("growth")
                        .setRequests(1)
                        .setLastCallTime(
                            Timestamp.newBuilder().setSeconds(longAgo.getEpochSecond())))
                .build());
    assertThat(unusedFor30Days()).containsExactly("mlp");

    var inference = withKey(GRPCInferenceServiceGrpc.newBlockingStub(channel), cora);
    for (int i = 0; i < 3; i++) {
      assertThat(inference.modelInfer(inferRequest(FEATURES)).getOutputsCount()).isEqualTo(1);
    }
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> inference.modelInfer(inferRequest(FEATURES - 1)));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(restInfer(cora)).isEqualTo(200);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(todaysUsage(cora, today))
                    .singleElement()
                    .satisfies(
                        record -> {
                          assertThat(record.getModel()).isEqualTo("mlp");
                          assertThat(record.getVersion()).isEmpty();
                          assertThat(record.getConsumerTeam()).isEqualTo("growth");
                          assertThat(record.getRequests()).isEqualTo(5);
                          assertThat(record.getFailedRequests()).isEqualTo(1);
                          assertThat(record.getKeysList())
                              .singleElement()
                              .satisfies(
                                  key ->
                                      assertThat(key.getKeyId())
                                          .isEqualTo(coraKey.getKey().getId()));
                        }));
    assertThat(todaysUsage(pat, today))
        .as("the owning team sees the calls to its model")
        .extracting(UsageRecord::getRequests)
        .containsExactly(5L);
    assertThat(unusedFor30Days()).isEmpty();
  }

  private List<String> unusedFor30Days() {
    return withKey(RegistryServiceGrpc.newBlockingStub(channel), adminKey)
        .listCurationCandidates(
            ListCurationCandidatesRequest.newBuilder()
                .setKind(CurationKind.CURATION_KIND_NO_CONSUMERS_SINCE)
                .setDays(30)
                .build())
        .getModelsList()
        .stream()
        .map(Model::getName)
        .toList();
  }

  private List<UsageRecord> todaysUsage(String key, String today) {
    return withKey(UsageServiceGrpc.newBlockingStub(channel), key)
        .queryUsage(
            QueryUsageRequest.newBuilder()
                .setModel("mlp")
                .setStartDay(today)
                .setEndDay(today)
                .build())
        .getRecordsList();
  }

  private int restInfer(String key) throws Exception {
    String data = String.join(",", Collections.nCopies(FEATURES, "0.5"));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.httpPort() + "/v2/models/mlp/infer"))
                    .header("authorization", "Bearer " + key)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],"
                                + "\"datatype\":\"FP32\",\"data\":["
                                + data
                                + "]}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static ModelInferRequest inferRequest(int features) {
    return ModelInferRequest.newBuilder()
        .setModelName("mlp")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(features))
        .addRawInputContents(ByteString.copyFrom(new byte[features * Float.BYTES]))
        .build();
  }

  private void createTeam(String team, String principal, Role role) {
    withKey(AccessServiceGrpc.newBlockingStub(channel), adminKey)
        .createTeam(
            CreateTeamRequest.newBuilder()
                .setTeam(
                    Team.newBuilder()
                        .setName(team)
                        .addMembers(TeamMember.newBuilder().setPrincipal(principal).addRoles(role)))
                .build());
  }

  private CreateApiKeyResponse createKey(String team, String principal) {
    return withKey(AccessServiceGrpc.newBlockingStub(channel), adminKey)
        .createApiKey(
            CreateApiKeyRequest.newBuilder().setTeam(team).setPrincipal(principal).build());
  }

  private int publish(Path file, String key) {
    return Main.newCommandLine()
        .execute(
            "publish",
            file.toString(),
            "--model",
            "mlp",
            "--version",
            "1.0.0",
            "--team",
            "fraud",
            "--server",
            "127.0.0.1:" + server.grpcPort(),
            "--api-key",
            key);
  }

  private static <S extends AbstractStub<S>> S withKey(S stub, String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
