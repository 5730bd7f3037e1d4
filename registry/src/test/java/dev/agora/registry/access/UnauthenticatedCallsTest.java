package dev.agora.registry.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.access.v1.WhoAmIRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method of every registry service, found from the service descriptors (so methods added
 * later are covered without touching this test), refuses a call without a key.
 */
class UnauthenticatedCallsTest {
  @TempDir Path dataDir;

  @Test
  void everyRegistryMethodNeedsAKey() throws Exception {
    try (AccessHarness harness = new AccessHarness(dataDir)) {
      List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
      for (ServerServiceDefinition service : harness.registry.services()) {
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
          methods.add(method.getMethodDescriptor());
        }
      }
      assertThat(methods)
          .extracting(MethodDescriptor::getServiceName)
          .contains("agora.registry.v1.RegistryService", "agora.access.v1.AccessService");

      for (MethodDescriptor<?, ?> method : methods) {
        Status status = callWithoutKey(harness.channel(), method);
        assertThat(status.getCode())
            .as(method.getFullMethodName())
            .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription())
            .as(method.getFullMethodName())
            .contains("authorization: Bearer");
      }
      assertThat(
              harness
                  .access(harness.adminKey)
                  .whoAmI(WhoAmIRequest.getDefaultInstance())
                  .getPrincipal())
          .isEqualTo("admin");
    }
  }

  /** Sends one empty message (valid for any protobuf request) and returns the closing status. */
  static Status callWithoutKey(ManagedChannel channel, MethodDescriptor<?, ?> method)
      throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(method.getType())
            .setFullMethodName(method.getFullMethodName())
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(new byte[0]);
    call.halfClose();
    return closed.get(10, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
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
}
