package dev.agora.registry.audit;

import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;

/**
 * Who is calling, as recorded in audit events and alias history: the principal of the {@link
 * Caller} that the authentication interceptor (or, in-process, the trusted-caller interceptor) put
 * into the call's gRPC context. This is the single place the registry's records read the caller
 * from, so changing what is recorded (say, adding the key id) happens here.
 */
public final class CallerIdentity {
  /** The identity recorded when a call carries no caller (no interceptor ran). */
  public static final String ANONYMOUS = "anonymous";

  private CallerIdentity() {}

  /** The current call's principal, or {@value #ANONYMOUS}. */
  public static String current() {
    return CallerContext.current()
        .map(Caller::principal)
        .filter(principal -> !principal.isBlank())
        .orElse(ANONYMOUS);
  }
}
