package dev.agora.registry.access;

import dev.agora.ratelimit.identity.Caller;

/** What a caller must hold to make calls to one method. */
interface MethodRule {

  /** Whether {@link #check} needs the call's first request message. */
  boolean readsRequest();

  /**
   * Refuses the call by throwing.
   *
   * @param request the call's first request message, or null when {@link #readsRequest()} is false
   * @throws dev.agora.common.error.AgoraException {@code PERMISSION_DENIED}, or the error the
   *     service would give for a request that names nothing valid to authorize
   */
  void check(Caller caller, Object request);

  /** A rule that looks only at the caller. */
  static MethodRule onCaller(java.util.function.Consumer<Caller> check) {
    return new MethodRule() {
      @Override
      public boolean readsRequest() {
        return false;
      }

      @Override
      public void check(Caller caller, Object request) {
        check.accept(caller);
      }
    };
  }

  /** A rule that looks at the caller and the first request message. */
  static MethodRule onRequest(java.util.function.BiConsumer<Caller, Object> check) {
    return new MethodRule() {
      @Override
      public boolean readsRequest() {
        return true;
      }

      @Override
      public void check(Caller caller, Object request) {
        check.accept(caller, request);
      }
    };
  }
}
