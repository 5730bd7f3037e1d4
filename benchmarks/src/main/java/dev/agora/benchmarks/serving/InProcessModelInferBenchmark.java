package dev.agora.benchmarks.serving;

import com.google.protobuf.ByteString;
import dev.agora.inference.InferenceConfig;
import dev.agora.inference.InferenceServer;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.testing.models.TestModels;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ModelInfer} on the MLP (raw FP32, batch 1 or 32) through the real {@link InferenceServer}
 * over grpc-java's in-process transport, and an in-process echo of the same request message. Run
 * with {@code -prof gc}: {@code gc.alloc.rate.norm} of {@link #modelInfer} minus that of {@link
 * #inProcessEcho} is what Agora allocates per request on top of gRPC (both include the client).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InProcessModelInferBenchmark {
  static final int FEATURES = 32;

  /** An echo with ModelInferRequest's own marshaller, so both sides parse the same message. */
  static final MethodDescriptor<ModelInferRequest, ModelInferRequest> ECHO =
      GRPCInferenceServiceGrpc.getModelInferMethod().toBuilder(
              GRPCInferenceServiceGrpc.getModelInferMethod().getRequestMarshaller(),
              GRPCInferenceServiceGrpc.getModelInferMethod().getRequestMarshaller())
          .setFullMethodName("agora.bench.Echo/Echo")
          .build();

  @Param({"1", "32"})
  int batch;

  private Path cacheDir;
  private InferenceServer inference;
  private Server server;
  private ManagedChannel channel;
  private GRPCInferenceServiceBlockingStub stub;
  private ModelInferRequest request;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    cacheDir = Files.createTempDirectory("agora-bench-cache");
    ModelSignature signature =
        new ModelSignature(
            List.of(new TensorSignature("input", Datatype.FP32, new long[] {-1, FEATURES})),
            List.of(new TensorSignature("output", Datatype.FP32, new long[] {-1, 2})));
    inference =
        new InferenceServer(
            InferenceConfig.defaults(cacheDir),
            new FixedModelCatalog("mlp", "1.0.0", TestModels.mlp(), signature));
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    inference.services().forEach(builder::addService);
    builder.addService(echoService());
    server = builder.build().start();
    inference.start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    request = request(batch);
  }

  @Benchmark
  public ModelInferResponse modelInfer() {
    return stub.modelInfer(request);
  }

  @Benchmark
  public ModelInferRequest inProcessEcho() {
    return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException, IOException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    inference.close();
    try (var files = Files.walk(cacheDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static ModelInferRequest request(int batch) {
    ByteBuffer raw = ByteBuffer.allocate(batch * FEATURES * 4).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < batch * FEATURES; i++) {
      raw.putFloat((float) random.nextDouble(-1, 1));
    }
    raw.flip();
    return ModelInferRequest.newBuilder()
        .setModelName("mlp")
        .addInputs(
            InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .addShape(batch)
                .addShape(FEATURES))
        .addRawInputContents(ByteString.copyFrom(raw))
        .build();
  }

  private static ServerServiceDefinition echoService() {
    return ServerServiceDefinition.builder("agora.bench.Echo")
        .addMethod(
            ECHO,
            ServerCalls.<ModelInferRequest, ModelInferRequest>asyncUnaryCall(
                (request, observer) -> {
                  observer.onNext(request);
                  observer.onCompleted();
                }))
        .build();
  }
}
