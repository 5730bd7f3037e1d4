package dev.agora.registry.access;

import dev.agora.ratelimit.auth.RefusedCalls;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Authorizes every registry call by its {@link MethodRules} entry, so the services contain no
 * access checks. Needs the authenticated {@link Caller} in the call's context: place it inside an
 * authentication interceptor (apply it first). A rule that depends on the request (the model it
 * names, the owning team of that model) is checked on the first request message, before the service
 * is started.
 */
public final class AccessPolicyInterceptor implements ServerInterceptor {
  private final MethodRules rules;

  AccessPolicyInterceptor(MethodRules rules) {
    this.rules = rules;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodRule rule = rules.ruleFor(call.getMethodDescriptor());
    Caller caller;
    try {
      caller = CallerContext.require();
      if (!rule.readsRequest()) {
        rule.check(caller, null);
        return next.startCall(call, headers);
      }
    } catch (RuntimeException e) {
      return RefusedCalls.refuse(call, e);
    }
    AuthorizingListener<Q, R> listener =
        new AuthorizingListener<>(call, headers, next, caller, rule);
    call.request(1);
    return listener;
  }
}
