package dev.agora.ratelimit.auth;

import dev.agora.ratelimit.keys.ApiKeyToken;

/**
 * Says who holds a well-formed API key. The registry implements it on its metadata store; other
 * servers ask the registry over gRPC ({@link RemoteKeyVerifier}).
 *
 * <p>Implementations are thread-safe and may block briefly (a store read or a remote call). They
 * are only ever given keys that passed {@link dev.agora.ratelimit.keys.ApiKeyFormat#parse}.
 */
public interface ApiKeyVerifier {

  /**
   * The verdict on {@code token}.
   *
   * @throws dev.agora.common.error.AgoraException {@code STORE_UNAVAILABLE} when the verdict cannot
   *     be reached right now
   */
  KeyVerification verify(ApiKeyToken token);
}
