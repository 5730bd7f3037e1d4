package dev.agora.ratelimit.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RemoteKeyVerifier}.
 *
 * @param cacheTtl how long a verdict is reused; at least 2 ms and at most {@value
 *     #MAX_CACHE_TTL_MILLIS} ms, so a revoked key stops working within about that long plus one
 *     call
 * @param callTimeout deadline of one {@code VerifyApiKey} call to the registry
 * @param maxCachedKeys how many verdicts are kept at most
 */
public record RemoteVerifierConfig(Duration cacheTtl, Duration callTimeout, long maxCachedKeys) {
  /** The longest allowed cache lifetime, in milliseconds. */
  public static final long MAX_CACHE_TTL_MILLIS = 1000;

  /** Validates every setting. */
  public RemoteVerifierConfig {
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (cacheTtl.toMillis() < 2 || cacheTtl.toMillis() > MAX_CACHE_TTL_MILLIS) {
      throw new IllegalArgumentException(
          "cacheTtl must be between 2 and "
              + MAX_CACHE_TTL_MILLIS
              + " ms (revoked keys must stop working within two seconds), got "
              + cacheTtl);
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
    }
    if (maxCachedKeys < 1) {
      throw new IllegalArgumentException("maxCachedKeys must be at least 1, got " + maxCachedKeys);
    }
  }

  /** One second of caching, five-second calls, 10,000 keys. */
  public static RemoteVerifierConfig defaults() {
    return new RemoteVerifierConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000);
  }
}
