package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agora.app.Main;
import dev.agora.inference.InferenceConfig;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.access.BootstrapOutcome;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.testing.etcd.EtcdExtension;
import dev.agora.testing.models.TestModels;
import dev.agora.testing.onnx.MlpReference;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agora serve} with its metadata in a real etcd: publish, infer, restart. */
class AgoraServeEtcdIT {
  private static final int FEATURES = 32;

  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  @TempDir Path dataDir;
  @TempDir Path work;

  private final EtcdConfig store =
      EtcdConfig.defaults()
          .withEndpoints(List.of(etcd.endpoint()))
          .withNamespace("/serve-" + UUID.randomUUID() + "/");
  private AgoraServer server;
  private ManagedChannel channel;
  private String adminKey;

  @AfterEach
  void stop() throws Exception {
    close();
  }

  @Test
  void publishesAndServesWithTheMetadataInEtcd() throws Exception {
    start();
    Path mlp = Files.write(work.resolve("mlp.onnx"), TestModels.mlp());
    assertThat(publish(mlp)).isZero();
    float[] input = rows(3);
    assertThat(infer(input, 3)).containsExactly(MlpReference.outputs(input, 3), within(1e-6f));
    assertThat(dataDir.resolve("metadata")).doesNotExist();

    close();
    start();
    assertThat(server.bootstrap().kind()).isEqualTo(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED);
    assertThat(infer(input, 3)).containsExactly(MlpReference.outputs(input, 3), within(1e-6f));
  }

  @Test
  void anUnreachableOrMalformedEtcdStopsServeWithASentence() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine serve = Main.newCommandLine().setErr(new PrintWriter(err));
    assertThat(serve.execute("serve", "--etcd", "https://127.0.0.1:2379")).isEqualTo(2);
    assertThat(err.toString()).contains("agora: etcd endpoint https://127.0.0.1:2379");

    int closedPort = etcd.process().clientPort();
    etcd.process().stop();
    try {
      err.getBuffer().setLength(0);
      String[] args = {
        "serve",
        "--etcd",
        "http://127.0.0.1:" + closedPort,
        "--data-dir",
        dataDir.toString(),
        "--grpc-port",
        "0",
        "--http-port",
        "0"
      };
      assertThat(serve.execute(args)).isEqualTo(2);
      assertThat(err.toString()).contains("agora: Cannot reach etcd at [http://127.0.0.1:");
    } finally {
      etcd.process().restart();
    }
  }

  private void start() throws Exception {
    ServeConfig config =
        ServeConfig.defaults(dataDir).withPorts(0, 0).withShutdownGrace(Duration.ofSeconds(5));
    server =
        new AgoraServer(
                config,
                RegistryConfig.defaults(dataDir).withEtcd(store),
                InferenceConfig.defaults(dataDir.resolve("inference-cache")))
            .start();
    if (adminKey == null) {
      adminKey = server.bootstrap().adminKey().orElseThrow().value();
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  private void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      channel = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private int publish(Path file) {
    return Main.newCommandLine()
        .execute(
            "publish",
            file.toString(),
            "--model",
            "mlp",
            "--version",
            "1.0.0",
            "--server",
            "127.0.0.1:" + server.grpcPort(),
            "--api-key",
            adminKey);
  }

  private float[] infer(float[] input, int batch) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminKey);
    ByteBuffer raw = ByteBuffer.allocate(input.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(input);
    ModelInferResponse response =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelInfer(
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

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }

  private static float[] rows(int batch) {
    float[] rows = new float[batch * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (i % 7) * 0.25f - 0.75f;
    }
    return rows;
  }
}
