package dev.agora.app.serve;

import com.google.protobuf.ByteString;
import dev.agora.inference.InferenceConfig;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.ratelimit.usage.UsageMeterConfig;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.access.AccessConfig;
import dev.agora.sdk.AgoraClient;
import dev.agora.testing.models.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code agora serve} on ephemeral loopback ports with the test MLP ({@code mlp} 1.0.0: FP32 input
 * {@code [-1, 32]}, output {@code [-1, 2]}) published, and the ways the operations tests call it.
 */
final class ServeFixture implements AutoCloseable {
  static final int FEATURES = 32;

  final AgoraServer server;
  final String adminKey;
  final ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServeFixture(AgoraServer server, String adminKey, ManagedChannel channel) {
    this.server = server;
    this.adminKey = adminKey;
    this.channel = channel;
  }

  /** Starts a server under {@code dataDir} that gives calls in flight {@code grace} on close. */
  static ServeFixture start(Path dataDir, Duration grace) throws Exception {
    ServeConfig config = ServeConfig.defaults(dataDir).withPorts(0, 0).withShutdownGrace(grace);
    AgoraServer server =
        new AgoraServer(
                config,
                RegistryConfig.defaults(dataDir),
                InferenceConfig.defaults(dataDir.resolve("inference-cache")))
            .start();
    String key = server.bootstrap().adminKey().orElseThrow().value();
    Path mlp = Files.write(dataDir.resolve("mlp.onnx"), TestModels.mlp());
    try (AgoraClient client = AgoraClient.connect("127.0.0.1:" + server.grpcPort(), key)) {
      client.ensureModel("mlp", "test MLP");
      client.upload("mlp", "1.0.0", mlp);
      client.publish("mlp", "1.0.0");
    }
    return new ServeFixture(server, key, channel(server));
  }

  /**
   * Starts {@code agora serve} on loopback ephemeral ports under {@code dataDir}, with the defaults
   * but a usage meter that reports every 200 ms, so that usage tests see their calls quickly.
   */
  static AgoraServer startReportingUsageQuickly(Path dataDir) throws IOException {
    return new AgoraServer(
            ServeConfig.defaults(dataDir).withPorts(0, 0).withShutdownGrace(Duration.ofSeconds(5)),
            RegistryConfig.defaults(dataDir),
            AccessConfig.defaults(),
            InferenceConfig.defaults(dataDir.resolve("inference-cache")),
            UsageMeterConfig.defaults().withFlushInterval(Duration.ofMillis(200)))
        .start();
  }

  /** A new channel to the gRPC port. */
  static ManagedChannel channel(AgoraServer server) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference() {
    return withKey(GRPCInferenceServiceGrpc.newBlockingStub(channel))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  <S extends AbstractStub<S>> S withKey(S stub) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminKey);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A request of {@code rows} rows of zeros for the MLP, declared as {@code datatype}. */
  static ModelInferRequest mlpRequest(int rows, String datatype) {
    ByteBuffer raw =
        ByteBuffer.allocate(rows * FEATURES * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    return ModelInferRequest.newBuilder()
        .setModelName("mlp")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype(datatype)
                .addShape(rows)
                .addShape(FEATURES))
        .addRawInputContents(ByteString.copyFrom(raw.array()))
        .build();
  }

  /** {@code GET path} on the HTTP port, without credentials. */
  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET path} on the HTTP port with the administrator's key. */
  HttpResponse<String> getWithKey(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("authorization", "Bearer " + adminKey)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }
}
