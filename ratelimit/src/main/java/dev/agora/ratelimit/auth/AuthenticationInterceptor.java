package dev.agora.ratelimit.auth;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import dev.agora.ratelimit.keys.ApiKeyToken;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Set;

/**
 * Authenticates every call by its {@code authorization: Bearer agora_<id>_<secret>} header and puts
 * the {@link Caller} into the call's context ({@link CallerContext}). Calls to {@link
 * #OPEN_SERVICES} (health and reflection) pass without a key.
 *
 * <p>A missing header, another scheme, or a key that fails the format or its checksum is refused
 * before the {@link ApiKeyVerifier} is asked. Every refusal is {@code UNAUTHENTICATED} with reason
 * {@code UNAUTHENTICATED} and a sentence saying what to do.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
  /** The header that carries the key. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Services that answer without a key: gRPC health checking and server reflection. */
  public static final Set<String> OPEN_SERVICES =
      Set.of(
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  private static final String SCHEME = "bearer ";
  private static final String HOW_TO =
      "send an API key in the header 'authorization: Bearer agora_<id>_<secret>'";

  private final ApiKeyVerifier verifier;
  private final InstantSource clock;

  /**
   * An interceptor asking {@code verifier} about well-formed keys.
   *
   * @param clock decides whether a verified key has expired since it was verified
   */
  public AuthenticationInterceptor(ApiKeyVerifier verifier, InstantSource clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Caller caller;
    try {
      caller = authenticate(headers.get(AUTHORIZATION));
    } catch (RuntimeException e) {
      return RefusedCalls.refuse(call, e);
    }
    return Contexts.interceptCall(CallerContext.with(caller), call, headers, next);
  }

  /**
   * The caller holding the key in an {@code authorization} header value.
   *
   * @throws AgoraException {@code UNAUTHENTICATED} when the header is missing or the key is
   *     malformed, unknown, revoked or expired; {@code STORE_UNAVAILABLE} when the verifier cannot
   *     answer
   */
  public Caller authenticate(String authorization) {
    ApiKeyToken token = parseHeader(authorization);
    KeyVerification verdict = verifier.verify(token);
    if (verdict instanceof KeyVerification.Rejected rejected) {
      throw refusal(rejected.message(), token);
    }
    Caller caller = ((KeyVerification.Accepted) verdict).caller();
    if (caller.isExpiredAt(clock.instant())) {
      throw refusal(
          "The API key "
              + token.redacted()
              + " expired at "
              + caller.expireTime().orElseThrow()
              + "; create a new one.",
          token);
    }
    return caller;
  }

  private static ApiKeyToken parseHeader(String header) {
    if (header == null || header.isBlank()) {
      throw refusal("This call needs an API key: " + HOW_TO + ".", null);
    }
    // some clients (perf_analyzer's -H 'name: value') keep the blank after the colon
    String authorization = header.strip();
    if (authorization.equalsIgnoreCase(SCHEME.strip())) {
      throw refusal("The authorization header has no key after 'Bearer'; " + HOW_TO + ".", null);
    }
    if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      String scheme = authorization.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      throw refusal(
          "The authorization header uses the scheme '" + scheme + "'; " + HOW_TO + ".", null);
    }
    String key = authorization.substring(SCHEME.length()).strip();
    return ApiKeyFormat.parse(key)
        .orElseThrow(
            () ->
                refusal(
                    "The API key is malformed: expected agora_<id>_<secret> with "
                        + ApiKeyFormat.LENGTH
                        + " characters and a valid checksum. Check that it was copied completely.",
                    null));
  }

  private static AgoraException refusal(String message, ApiKeyToken token) {
    AgoraException.Builder refusal = AgoraException.builder(ErrorReason.UNAUTHENTICATED, message);
    if (token != null) {
      refusal.metadata("key_id", token.id());
    }
    return refusal.build();
  }
}
