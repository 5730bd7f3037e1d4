package dev.agora.ratelimit.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * Calls counted for one {@link UsageKey} since the sink last accepted a report of it.
 *
 * @param key what the calls were
 * @param requests how many calls ended, at least 1
 * @param failedRequests of those, how many ended with a status other than OK
 * @param lastCallTime when the latest of them ended
 */
public record UsageDelta(UsageKey key, long requests, long failedRequests, Instant lastCallTime) {
  /** Checks the fields. */
  public UsageDelta {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastCallTime, "lastCallTime");
    if (requests < 1 || failedRequests < 0 || failedRequests > requests) {
      throw new IllegalArgumentException(
          "a usage delta needs 0 <= failedRequests <= requests and requests >= 1, got "
              + failedRequests
              + " of "
              + requests);
    }
  }
}
