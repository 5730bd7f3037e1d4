package dev.agora.ratelimit.auth;

import static dev.agora.ratelimit.auth.StatusAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.PrincipalKind;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthenticationInterceptorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final ApiKeyGenerator KEYS = ApiKeyGenerator.secure();
  private static final ApiKeyToken GOOD = KEYS.next();
  private static final ApiKeyToken UNKNOWN = KEYS.next();
  private static final ApiKeyToken REVOKED = KEYS.next();
  private static final ApiKeyToken EXPIRED_BY_VERIFIER = KEYS.next();
  private static final ApiKeyToken EXPIRED_SINCE = KEYS.next();
  private static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK =
      ByteArrayMethods.unary("grpc.health.v1.Health", "Check");
  private static final MethodDescriptor<byte[], byte[]> REFLECTION =
      ByteArrayMethods.unary("grpc.reflection.v1.ServerReflection", "ServerReflectionInfo");

  private final CountingVerifier verifier =
      new CountingVerifier()
          .answer(GOOD, new KeyVerification.Accepted(alice(Optional.empty())))
          .answer(
              REVOKED,
              new KeyVerification.Rejected(
                  KeyVerification.Outcome.REVOKED, "The API key was revoked at 2026-02-01."))
          .answer(
              EXPIRED_BY_VERIFIER,
              new KeyVerification.Rejected(
                  KeyVerification.Outcome.EXPIRED, "The API key expired at 2026-02-01."))
          .answer(
              EXPIRED_SINCE, new KeyVerification.Accepted(alice(Optional.of(NOW.minusSeconds(1)))));
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new CallerEchoService())
            .addService(ByteArrayMethods.emptyAnswer(HEALTH_CHECK))
            .addService(ByteArrayMethods.emptyAnswer(REFLECTION))
            .intercept(new AuthenticationInterceptor(verifier, InstantSource.fixed(NOW)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static Stream<Arguments> refusals() {
    String badChecksum = GOOD.value().substring(0, GOOD.value().length() - 1) + "x";
    if (badChecksum.equals(GOOD.value())) {
      badChecksum = GOOD.value().substring(0, GOOD.value().length() - 1) + "y";
    }
    return Stream.of(
        Arguments.of("no header", null, 0, "needs an API key"),
        Arguments.of("empty header", "", 0, "needs an API key"),
        Arguments.of("basic scheme", "Basic YWxpY2U6c2VjcmV0", 0, "scheme 'basic'"),
        Arguments.of("bare key", GOOD.value(), 0, "scheme"),
        Arguments.of("bearer without key", "Bearer ", 0, "no key after"),
        Arguments.of("bearer and spaces", "Bearer   ", 0, "no key after"),
        Arguments.of("not a key", "Bearer hunter2", 0, "malformed"),
        Arguments.of("bad checksum", "Bearer " + badChecksum, 0, "malformed"),
        Arguments.of("truncated", "Bearer " + GOOD.value().substring(1), 0, "malformed"),
        Arguments.of("unknown key", "Bearer " + UNKNOWN.value(), 1, "no key with this id"),
        Arguments.of("revoked key", "Bearer " + REVOKED.value(), 1, "revoked"),
        Arguments.of("expired key", "Bearer " + EXPIRED_BY_VERIFIER.value(), 1, "expired"),
        Arguments.of("expired since verified", "Bearer " + EXPIRED_SINCE.value(), 1, "expired"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithUnauthenticatedAndASentence(
      String label, String header, int lookups, String sentence) {
    var failure =
        assertRefused(
            () -> whoAmI(header), Status.Code.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED.name());

    assertThat(failure.getStatus().getDescription()).contains(sentence);
    assertThat(verifier.calls()).as("verifier lookups").isEqualTo(lookups);
    assertThat(whoAmI("Bearer " + GOOD.value()).getPrincipal()).isEqualTo("alice");
  }

  @Test
  void theVerifiedCallerReachesTheServiceThroughTheContext() {
    var caller = whoAmI(" bearer  " + GOOD.value() + " ");

    assertThat(caller.getPrincipal()).isEqualTo("alice");
    assertThat(caller.getTeam()).isEqualTo("fraud");
    assertThat(caller.getKeyId()).isEqualTo(GOOD.id());
    assertThat(caller.getScopesList()).containsExactly("registry:read");
    assertThat(verifier.calls()).isEqualTo(1);
  }

  @Test
  void healthAndReflectionAnswerWithoutAKey() {
    for (MethodDescriptor<byte[], byte[]> open : java.util.List.of(HEALTH_CHECK, REFLECTION)) {
      byte[] answer =
          ClientCalls.blockingUnaryCall(
              channel,
              open,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
              new byte[0]);
      assertThat(answer).isEmpty();
    }
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void aVerifierThatCannotAnswerMakesTheCallUnavailable() {
    verifier.failWith(AgoraException.of(ErrorReason.STORE_UNAVAILABLE, "store down"));

    assertRefused(
        () -> whoAmI("Bearer " + GOOD.value()),
        Status.Code.UNAVAILABLE,
        ErrorReason.STORE_UNAVAILABLE.name());

    verifier.failWith(null);
    assertThat(whoAmI("Bearer " + GOOD.value()).getPrincipal()).isEqualTo("alice");
  }

  private dev.agora.proto.access.v1.Caller whoAmI(String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(AuthenticationInterceptor.AUTHORIZATION, authorization);
    }
    return AccessServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .whoAmI(WhoAmIRequest.getDefaultInstance());
  }

  private static Caller alice(Optional<Instant> expiry) {
    return new Caller(
        GOOD.id(),
        "alice",
        PrincipalKind.USER,
        "fraud",
        Set.of(Role.CONSUMER),
        Set.of(Scope.REGISTRY_READ),
        expiry);
  }
}
