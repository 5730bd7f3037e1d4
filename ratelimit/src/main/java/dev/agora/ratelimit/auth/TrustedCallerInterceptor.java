package dev.agora.ratelimit.auth;

import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Gives every call the same {@link Caller} without asking for a key. Only for servers nobody
 * outside this process can reach, such as the in-process registry server the inference server reads
 * in all-in-one mode.
 */
public final class TrustedCallerInterceptor implements ServerInterceptor {
  private final Caller caller;

  /** Attributes every call to {@code caller}. */
  public TrustedCallerInterceptor(Caller caller) {
    this.caller = caller;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return Contexts.interceptCall(CallerContext.with(caller), call, headers, next);
  }
}
