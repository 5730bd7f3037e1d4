package dev.agora.ratelimit.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.VerifyApiKeyRequest;
import dev.agora.proto.access.v1.VerifyApiKeyResponse;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.keys.ApiKeyToken;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ApiKeyVerifier} that asks the registry's {@code AccessService.VerifyApiKey} and
 * remembers each verdict for {@link RemoteVerifierConfig#cacheTtl()}. Verdicts of keys in use are
 * refreshed in the background after half that time, so busy keys never wait for the registry; an
 * entry older than the full time is never used, so a revoked key stops working within about one
 * lifetime plus one call. Refusals are cached too, so a wrong key cannot hammer the registry.
 *
 * <p>The channel must carry credentials with the {@code keys:verify} scope (or be an in-process
 * channel to a registry that trusts this process).
 */
public final class RemoteKeyVerifier implements ApiKeyVerifier {
  private final AccessServiceGrpc.AccessServiceBlockingStub access;
  private final Duration callTimeout;
  private final LoadingCache<String, KeyVerification> verdicts;

  /**
   * A verifier asking the registry behind {@code registry}.
   *
   * @param refreshes runs background refreshes of cached verdicts
   */
  public RemoteKeyVerifier(Channel registry, RemoteVerifierConfig config, Executor refreshes) {
    this.access = AccessServiceGrpc.newBlockingStub(registry);
    this.callTimeout = config.callTimeout();
    this.verdicts =
        Caffeine.newBuilder()
            .maximumSize(config.maxCachedKeys())
            .expireAfterWrite(config.cacheTtl())
            .refreshAfterWrite(config.cacheTtl().dividedBy(2))
            .executor(refreshes)
            .build(this::ask);
  }

  @Override
  public KeyVerification verify(ApiKeyToken token) {
    return verdicts.get(token.value());
  }

  private KeyVerification ask(String token) {
    VerifyApiKeyResponse answer;
    try {
      answer =
          access
              .withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS)
              .verifyApiKey(VerifyApiKeyRequest.newBuilder().setToken(token).build());
    } catch (StatusRuntimeException e) {
      throw AgoraException.builder(
              ErrorReason.STORE_UNAVAILABLE,
              "The API key cannot be verified right now: the registry answered "
                  + e.getStatus().getCode()
                  + ". Retry shortly.")
          .cause(e)
          .retryDelay(Duration.ofSeconds(1))
          .build();
    }
    return switch (answer.getOutcome()) {
      case OUTCOME_VALID ->
          new KeyVerification.Accepted(CallerProtos.fromProto(answer.getCaller()));
      case OUTCOME_REVOKED ->
          new KeyVerification.Rejected(KeyVerification.Outcome.REVOKED, answer.getMessage());
      case OUTCOME_EXPIRED ->
          new KeyVerification.Rejected(KeyVerification.Outcome.EXPIRED, answer.getMessage());
      case OUTCOME_UNKNOWN, OUTCOME_UNSPECIFIED, UNRECOGNIZED -> KeyVerification.unknown();
    };
  }
}
