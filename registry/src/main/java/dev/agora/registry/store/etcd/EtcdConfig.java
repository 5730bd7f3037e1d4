package dev.agora.registry.store.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the etcd metadata store. With no endpoints (the {@link #defaults()}) the registry
 * uses its embedded store instead.
 *
 * @param endpoints client URLs of the etcd members, {@code http://host:port}; empty = no etcd
 * @param namespace a prefix put before every key, so that several deployments can share one etcd
 *     cluster: empty (the default) or ending with {@code /}; one namespace must not start with
 *     another
 * @param callTimeout the deadline of one store call, retries included
 * @param retryBackoff the pause before the first retry; each later pause doubles
 * @param maxRetryBackoff the longest pause between retries, and between watch reconnections
 * @param maxAttempts the most attempts one call makes (the first included), at least 1
 * @param maxRequestBytes the largest transaction sent; etcd's {@code --max-request-bytes}
 * @param maxTxnOps the most compares, and the most writes, in one transaction; etcd's {@code
 *     --max-txn-ops}
 * @param maxResponseBytes the largest response accepted from etcd (one range page)
 */
public record EtcdConfig(
    List<URI> endpoints,
    String namespace,
    Duration callTimeout,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    int maxAttempts,
    long maxRequestBytes,
    int maxTxnOps,
    int maxResponseBytes) {

  /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 1536L * 1024;

  /** etcd's default {@code --max-txn-ops}. */
  public static final int DEFAULT_MAX_TXN_OPS = 128;

  /** The default response limit: 64 MiB. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 << 20;

  /** Validates every setting and copies the endpoint list. */
  public EtcdConfig {
    endpoints = List.copyOf(Objects.requireNonNull(endpoints, "etcd endpoints"));
    endpoints.forEach(EtcdConfig::requireEndpoint);
    Objects.requireNonNull(namespace, "etcd namespace");
    if (!namespace.isEmpty() && !namespace.endsWith("/")) {
      throw new IllegalArgumentException(
          "etcd namespace must be empty or end with /, got " + namespace);
    }
    requirePositive("callTimeout", callTimeout);
    requirePositive("retryBackoff", retryBackoff);
    requirePositive("maxRetryBackoff", maxRetryBackoff);
    if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException(
          "etcd maxRetryBackoff must be at least retryBackoff, got " + maxRetryBackoff);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("etcd maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "etcd maxRequestBytes must be at least 1024, got " + maxRequestBytes);
    }
    if (maxTxnOps < 1) {
      throw new IllegalArgumentException("etcd maxTxnOps must be at least 1, got " + maxTxnOps);
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException(
          "etcd maxResponseBytes must be at least 1024, got " + maxResponseBytes);
    }
  }

  /**
   * No endpoints (embedded store), no namespace, 5 s per call, retries after 50 ms doubling up to 1
   * s and at most 8 attempts, and etcd's default request limits.
   */
  public static EtcdConfig defaults() {
    return new EtcdConfig(
        List.of(),
        "",
        Duration.ofSeconds(5),
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        8,
        DEFAULT_MAX_REQUEST_BYTES,
        DEFAULT_MAX_TXN_OPS,
        DEFAULT_MAX_RESPONSE_BYTES);
  }

  /**
   * Parses a comma-separated list of client URLs, as given to {@code --etcd}.
   *
   * @throws IllegalArgumentException naming the first malformed URL
   */
  public static List<URI> parseEndpoints(String commaSeparated) {
    List<URI> endpoints = new ArrayList<>();
    for (String part : commaSeparated.split(",", -1)) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("an etcd endpoint list has an empty entry");
      }
      try {
        endpoints.add(requireEndpoint(new URI(trimmed)));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("etcd endpoint " + trimmed + " is not a URL", e);
      }
    }
    return endpoints;
  }

  /** Whether an etcd cluster is configured. */
  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  /** This configuration with other endpoints. */
  public EtcdConfig withEndpoints(List<URI> urls) {
    return new EtcdConfig(
        urls,
        namespace,
        callTimeout,
        retryBackoff,
        maxRetryBackoff,
        maxAttempts,
        maxRequestBytes,
        maxTxnOps,
        maxResponseBytes);
  }

  /** This configuration with another namespace. */
  public EtcdConfig withNamespace(String prefix) {
    return new EtcdConfig(
        endpoints,
        prefix,
        callTimeout,
        retryBackoff,
        maxRetryBackoff,
        maxAttempts,
        maxRequestBytes,
        maxTxnOps,
        maxResponseBytes);
  }

  /** This configuration with another call deadline. */
  public EtcdConfig withCallTimeout(Duration timeout) {
    return new EtcdConfig(
        endpoints,
        namespace,
        timeout,
        retryBackoff,
        maxRetryBackoff,
        maxAttempts,
        maxRequestBytes,
        maxTxnOps,
        maxResponseBytes);
  }

  /** This configuration with other retry bounds. */
  public EtcdConfig withRetries(int attempts, Duration backoff, Duration maxBackoff) {
    return new EtcdConfig(
        endpoints,
        namespace,
        callTimeout,
        backoff,
        maxBackoff,
        attempts,
        maxRequestBytes,
        maxTxnOps,
        maxResponseBytes);
  }

  /** This configuration with other request limits. */
  public EtcdConfig withRequestLimits(long requestBytes, int txnOps) {
    return new EtcdConfig(
        endpoints,
        namespace,
        callTimeout,
        retryBackoff,
        maxRetryBackoff,
        maxAttempts,
        requestBytes,
        txnOps,
        maxResponseBytes);
  }

  private static URI requireEndpoint(URI url) {
    Objects.requireNonNull(url, "etcd endpoint");
    if (!"http".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "etcd endpoint " + url + " must be an http:// client URL (TLS is not supported yet)");
    }
    if (url.getHost() == null || url.getPort() < 1) {
      throw new IllegalArgumentException(
          "etcd endpoint " + url + " needs a host and a port, like http://127.0.0.1:2379");
    }
    String path = url.getPath();
    if ((path != null && !path.isEmpty() && !"/".equals(path)) || url.getQuery() != null) {
      throw new IllegalArgumentException("etcd endpoint " + url + " must not have a path");
    }
    return url;
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, "etcd " + name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("etcd " + name + " must be positive, got " + value);
    }
  }
}
