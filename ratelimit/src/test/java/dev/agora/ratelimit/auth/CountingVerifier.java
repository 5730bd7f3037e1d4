package dev.agora.ratelimit.auth;

import dev.agora.ratelimit.keys.ApiKeyToken;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A verifier answering from a map, counting how often it is asked: the SPI boundary in tests. */
final class CountingVerifier implements ApiKeyVerifier {
  private final Map<String, KeyVerification> verdicts = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile RuntimeException failure;

  CountingVerifier answer(ApiKeyToken token, KeyVerification verdict) {
    verdicts.put(token.value(), verdict);
    return this;
  }

  void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  int calls() {
    return calls.get();
  }

  @Override
  public KeyVerification verify(ApiKeyToken token) {
    calls.incrementAndGet();
    RuntimeException failing = failure;
    if (failing != null) {
      throw failing;
    }
    return verdicts.getOrDefault(token.value(), KeyVerification.unknown());
  }
}
