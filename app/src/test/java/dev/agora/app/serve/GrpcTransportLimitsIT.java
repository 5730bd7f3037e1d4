package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport limits on a real Netty server over loopback: oversized messages (plain or
 * compressed) and oversized metadata are refused, and the connection keeps serving.
 */
class GrpcTransportLimitsIT {
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("agora.test.Echo/Echo")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("agora.test.Echo")
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, observer) -> {
                      observer.onNext(new byte[] {(byte) request.length});
                      observer.onCompleted();
                    }))
            .build();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(echo);
    server = GrpcTransportLimits.defaults().applyTo(builder).build().start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aMessageOverTheLimitIsRefused() {
    assertRefused(
        CallOptions.DEFAULT, new byte[MAX_MESSAGE_BYTES + 1], Status.Code.RESOURCE_EXHAUSTED);
    assertServing();
  }

  @Test
  void aCompressedMessageThatExpandsPastTheLimitIsRefused() {
    CallOptions gzip =
        CallOptions.DEFAULT.withCompression("gzip").withDeadlineAfter(10, TimeUnit.SECONDS);
    byte[] underTheLimit = new byte[MAX_MESSAGE_BYTES - 1];
    underTheLimit[0] = 7;
    assertThat(ClientCalls.blockingUnaryCall(channel, ECHO, gzip, underTheLimit))
        .as("inflates to just under the limit")
        .containsExactly((byte) (MAX_MESSAGE_BYTES - 1));

    // 8 MiB of zeros gzip to about 8 KiB: small on the wire, far over the limit once inflated.
    // grpc-java stops inflating at the limit while the request is parsed, which it reports as an
    // application error (UNKNOWN) rather than RESOURCE_EXHAUSTED.
    assertRefused(gzip, new byte[8 * MAX_MESSAGE_BYTES], Status.Code.UNKNOWN);
    assertServing();
  }

  @Test
  void metadataOverTheLimitIsRefused() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "a".repeat(16_384));
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    ClientInterceptors.intercept(
                        channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                    ECHO,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new byte[] {1}));
    assertThat(failure).as("the call must fail").isNotNull();
    assertThat(failure.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
    assertServing();
  }

  private void assertRefused(CallOptions options, byte[] payload, Status.Code code) {
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, ECHO, options.withDeadlineAfter(10, TimeUnit.SECONDS), payload));
    assertThat(failure).as("the call must fail").isNotNull();
    assertThat(failure.getStatus().getCode()).isEqualTo(code);
  }

  private void assertServing() {
    byte[] answer =
        ClientCalls.blockingUnaryCall(
            channel,
            ECHO,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            new byte[] {1, 2, 3});
    assertThat(answer).containsExactly(3);
  }

  /** Passes bytes through untouched. */
  static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
