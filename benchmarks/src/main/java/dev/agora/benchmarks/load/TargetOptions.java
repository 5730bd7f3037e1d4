package dev.agora.benchmarks.load;

import com.google.protobuf.ByteString;
import dev.agora.benchmarks.echo.BytesEcho;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import picocli.CommandLine.Option;

/** Which server to call with what request: the options every load subcommand shares. */
final class TargetOptions {
  /** The two kinds of server the load generator calls. */
  enum Target {
    /** {@code inference.GRPCInferenceService/ModelInfer} on {@code agora serve}. */
    agora,
    /** The bare echo ({@code agora.bench.Echo/Echo}) carrying the same request bytes. */
    echo
  }

  @Option(
      names = "--target",
      required = true,
      description = "agora (ModelInfer) or echo (the same request bytes to the echo server).")
  Target target;

  @Option(names = "--address", required = true, description = "The server's HOST:PORT.")
  String address;

  @Option(names = "--model", defaultValue = "mlp", description = "Model name (default: mlp).")
  String model;

  @Option(
      names = "--model-version",
      defaultValue = "",
      description = "Model version (default: the latest).")
  String modelVersion;

  @Option(names = "--input", defaultValue = "input", description = "Input tensor name.")
  String input;

  @Option(names = "--features", defaultValue = "32", description = "FP32 features per row.")
  int features;

  @Option(names = "--rows", defaultValue = "1", description = "Rows per request (its batch).")
  int rows;

  @Option(
      names = "--deadline",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Deadline of each call (default: 10s).")
  Duration deadline;

  /** The same request and call settings, sent to the echo at {@code echoAddress}. */
  TargetOptions echoAt(String echoAddress) {
    TargetOptions echo = new TargetOptions();
    echo.target = Target.echo;
    echo.address = echoAddress;
    echo.model = model;
    echo.modelVersion = modelVersion;
    echo.input = input;
    echo.features = features;
    echo.rows = rows;
    echo.deadline = deadline;
    return echo;
  }

  /** The request every call sends: FP32 [rows, features] in raw_input_contents. */
  ModelInferRequest request() {
    ByteBuffer raw =
        ByteBuffer.allocate(rows * features * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < rows * features; i++) {
      raw.putFloat((float) random.nextDouble(-1, 1));
    }
    raw.flip();
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setModelVersion(modelVersion)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName(input)
                .setDatatype("FP32")
                .addShape(rows)
                .addShape(features))
        .addRawInputContents(ByteString.copyFrom(raw))
        .build();
  }

  /**
   * A plaintext channel to the server; answers are handled on its transport thread. Both targets
   * get the same {@code authorization} header when {@code AGORA_API_KEY} is set.
   */
  ManagedChannel channel() {
    return builder().build();
  }

  /** The same channel, its connection owned by {@code loop}'s thread. */
  ManagedChannel channel(ClientEventLoop loop) {
    return loop.own(builder()).build();
  }

  private NettyChannelBuilder builder() {
    return NettyChannelBuilder.forTarget(address)
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(64 * 1024 * 1024);
  }

  /** The call to repeat on {@code channel}. */
  CallTarget<?, ?> callTarget(ManagedChannel channel) {
    Metadata headers = new Metadata();
    String apiKey = System.getenv("AGORA_API_KEY");
    if (apiKey != null && !apiKey.isBlank()) {
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    } else if (target == Target.agora) {
      throw new IllegalArgumentException("set AGORA_API_KEY: agora serve needs an API key");
    }
    var authorized =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    ModelInferRequest request = request();
    return switch (target) {
      case agora ->
          new CallTarget<>(
              authorized, GRPCInferenceServiceGrpc.getModelInferMethod(), request, deadline);
      case echo -> new CallTarget<>(authorized, BytesEcho.METHOD, request.toByteArray(), deadline);
    };
  }
}
