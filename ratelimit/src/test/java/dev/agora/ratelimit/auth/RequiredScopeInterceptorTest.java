package dev.agora.ratelimit.auth;

import static dev.agora.ratelimit.auth.StatusAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Scope;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequiredScopeInterceptorTest {

  @Test
  void aKeyWithoutTheScopeIsDeniedAndOneWithItPasses() throws Exception {
    Caller reader = Caller.trusted("reader", Set.of(Scope.REGISTRY_READ));
    Caller caller = Caller.trusted("caller", Set.of(Scope.INFERENCE));

    try (Served denied = serve(reader);
        Served allowed = serve(caller)) {
      var failure =
          assertRefused(
              () -> denied.stub().whoAmI(WhoAmIRequest.getDefaultInstance()),
              Status.Code.PERMISSION_DENIED,
              "PERMISSION_DENIED");
      assertThat(failure.getStatus().getDescription())
          .contains("'inference' scope")
          .contains("reader");
      assertThat(allowed.stub().whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
          .isEqualTo("caller");
    }
  }

  @Test
  void withoutAnAuthenticatedCallerTheCallIsUnauthenticated() throws Exception {
    try (Served bare = serve(null)) {
      assertRefused(
          () -> bare.stub().whoAmI(WhoAmIRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED,
          "UNAUTHENTICATED");
    }
  }

  private static Served serve(Caller caller) throws Exception {
    String name = InProcessServerBuilder.generateName();
    var service =
        caller == null
            ? ServerInterceptors.intercept(
                new CallerEchoService(), new RequiredScopeInterceptor(Scope.INFERENCE))
            : ServerInterceptors.intercept(
                new CallerEchoService(),
                new RequiredScopeInterceptor(Scope.INFERENCE),
                new TrustedCallerInterceptor(caller));
    Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
    return new Served(server, InProcessChannelBuilder.forName(name).build());
  }

  private record Served(Server server, ManagedChannel channel) implements AutoCloseable {
    AccessServiceGrpc.AccessServiceBlockingStub stub() {
      return AccessServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
