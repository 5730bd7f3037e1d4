package dev.agora.benchmarks.echo;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A bare grpc-java unary echo: the server returns the request bytes untouched, without parsing
 * them. The baseline every serving latency is divided by: whatever a {@code ModelInfer} costs
 * beyond this echo of the same bytes is the cost of Agora itself.
 */
public final class BytesEcho {
  /** The service's name on the wire. */
  public static final String SERVICE = "agora.bench.Echo";

  /** {@code agora.bench.Echo/Echo}: bytes in, the same bytes out. */
  public static final MethodDescriptor<byte[], byte[]> METHOD =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(SERVICE + "/Echo")
          .setRequestMarshaller(new BytesMarshaller())
          .setResponseMarshaller(new BytesMarshaller())
          .build();

  private BytesEcho() {}

  /** The echo service, to add to any grpc-java server. */
  public static ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            METHOD,
            ServerCalls.asyncUnaryCall(
                (request, observer) -> {
                  observer.onNext(request);
                  observer.onCompleted();
                }))
        .build();
  }

  /** Passes bytes through untouched. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
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
