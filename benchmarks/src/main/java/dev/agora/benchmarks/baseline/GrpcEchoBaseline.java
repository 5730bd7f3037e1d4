package dev.agora.benchmarks.baseline;

import dev.agora.benchmarks.echo.BytesEcho;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
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
 * A bare grpc-java unary echo over Netty on loopback: the server returns the request bytes. The
 * payload sizes match a ModelInfer request for the MLP at batch 1 and 32 (raw FP32 rows of 32
 * features plus the protobuf envelope), so a ModelInfer latency divided by this one is the cost of
 * Agora itself on top of gRPC. The service is {@link BytesEcho}, the same one the load generator
 * runs as a separate process.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GrpcEchoBaseline {
  /** Protobuf envelope of a ModelInferRequest for the MLP: names, datatype, shape. */
  static final int ENVELOPE_BYTES = 40;

  @Param({"1", "32"})
  int batch;

  private Server server;
  private ManagedChannel channel;
  private byte[] payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(BytesEcho.service())
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    payload = new byte[ENVELOPE_BYTES + batch * OnnxRuntimeBaseline.FEATURES * Float.BYTES];
    Arrays.fill(payload, (byte) 7);
  }

  @Benchmark
  public byte[] echo() {
    return ClientCalls.blockingUnaryCall(channel, BytesEcho.METHOD, CallOptions.DEFAULT, payload);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
