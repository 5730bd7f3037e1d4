package dev.agora.ratelimit.auth;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import dev.agora.ratelimit.identity.Scope;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Refuses calls whose key lacks one scope, e.g. {@code inference} on the inference services, with
 * {@code PERMISSION_DENIED}. Place it inside an {@link AuthenticationInterceptor} (apply it first).
 */
public final class RequiredScopeInterceptor implements ServerInterceptor {
  private final Scope scope;

  /** Requires {@code scope} of every call. */
  public RequiredScopeInterceptor(Scope scope) {
    this.scope = scope;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    try {
      Caller caller = CallerContext.require();
      if (!caller.hasScope(scope)) {
        throw missingScope(caller, scope);
      }
    } catch (RuntimeException e) {
      return RefusedCalls.refuse(call, e);
    }
    return next.startCall(call, headers);
  }

  /** The refusal of a caller whose key lacks {@code scope}. */
  public static AgoraException missingScope(Caller caller, Scope scope) {
    return AgoraException.builder(
            ErrorReason.PERMISSION_DENIED,
            "This call needs an API key with the '"
                + scope.wireName()
                + "' scope; the key "
                + (caller.keyId().isEmpty() ? "" : caller.keyId() + " ")
                + "of "
                + caller.describe()
                + " lacks it.")
        .metadata("required_scope", scope.wireName())
        .build();
  }
}
