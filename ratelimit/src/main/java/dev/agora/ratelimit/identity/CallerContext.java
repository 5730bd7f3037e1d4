package dev.agora.ratelimit.identity;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Context;
import java.util.Optional;

/**
 * The {@link io.grpc.Context} key under which the authentication interceptor puts the {@link
 * Caller} of a call. Service code running for that call (including code it hands the same context
 * to) reads the caller here.
 */
public final class CallerContext {
  private static final Context.Key<Caller> CALLER = Context.key("agora-caller");

  private CallerContext() {}

  /** The caller of the call being served, or empty outside an authenticated call. */
  public static Optional<Caller> current() {
    return Optional.ofNullable(CALLER.get());
  }

  /**
   * The caller of the call being served.
   *
   * @throws AgoraException {@code UNAUTHENTICATED} when the call carries no caller, i.e. no
   *     authentication interceptor ran in front of the service
   */
  public static Caller require() {
    return current()
        .orElseThrow(
            () ->
                AgoraException.of(
                    ErrorReason.UNAUTHENTICATED,
                    "This call carries no authenticated caller; send an API key as"
                        + " 'authorization: Bearer agora_...'."));
  }

  /** The current context with {@code caller} attached. */
  public static Context with(Caller caller) {
    return Context.current().withValue(CALLER, caller);
  }
}
