package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.ratelimit.auth.RefusedCalls;
import dev.agora.ratelimit.identity.Caller;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;

/**
 * Holds a call back until its first request message has been authorized, then starts the service
 * and hands it everything from that message on. The service never sees a call the rule refused, so
 * a refused upload stages nothing.
 */
final class AuthorizingListener<Q, R> extends ServerCall.Listener<Q> {
  private final ServerCall<Q, R> call;
  private final Metadata headers;
  private final ServerCallHandler<Q, R> next;
  private final Caller caller;
  private final MethodRule rule;
  private ServerCall.Listener<Q> delegate;
  private boolean refused;
  private boolean ready;

  AuthorizingListener(
      ServerCall<Q, R> call,
      Metadata headers,
      ServerCallHandler<Q, R> next,
      Caller caller,
      MethodRule rule) {
    this.call = call;
    this.headers = headers;
    this.next = next;
    this.caller = caller;
    this.rule = rule;
  }

  @Override
  public void onMessage(Q message) {
    if (refused) {
      return;
    }
    if (delegate == null) {
      try {
        rule.check(caller, message);
      } catch (RuntimeException e) {
        refuse(e);
        return;
      }
      delegate = next.startCall(call, headers);
      if (ready) {
        delegate.onReady();
      }
    }
    delegate.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    if (refused) {
      return;
    }
    if (delegate == null) {
      refuse(AgoraException.invalidField("request", "the call carried no request message"));
      return;
    }
    delegate.onHalfClose();
  }

  @Override
  public void onCancel() {
    if (delegate != null) {
      delegate.onCancel();
    }
  }

  @Override
  public void onComplete() {
    if (delegate != null) {
      delegate.onComplete();
    }
  }

  @Override
  public void onReady() {
    if (delegate != null) {
      delegate.onReady();
    } else {
      ready = true;
    }
  }

  private void refuse(RuntimeException failure) {
    refused = true;
    RefusedCalls.close(call, failure);
  }
}
