package dev.agora.ratelimit.auth;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Unary methods on raw bytes, to stand in for services this module does not depend on. */
final class ByteArrayMethods {
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
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
      };

  private ByteArrayMethods() {}

  static MethodDescriptor<byte[], byte[]> unary(String service, String method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** A service with one unary method that answers an empty message. */
  static ServerServiceDefinition emptyAnswer(MethodDescriptor<byte[], byte[]> method) {
    return ServerServiceDefinition.builder(method.getServiceName())
        .addMethod(
            method,
            ServerCalls.asyncUnaryCall(
                (request, responses) -> {
                  responses.onNext(new byte[0]);
                  responses.onCompleted();
                }))
        .build();
  }
}
