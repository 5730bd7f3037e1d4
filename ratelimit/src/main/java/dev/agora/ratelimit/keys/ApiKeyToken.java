package dev.agora.ratelimit.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A well-formed API key ({@link ApiKeyFormat}), as presented by a caller or just generated. Its
 * {@link #toString()} shows only the id, so a key that ends up in a log line leaks nothing.
 */
public final class ApiKeyToken {
  private final String id;
  private final String secret;

  ApiKeyToken(String id, String secret) {
    this.id = id;
    this.secret = secret;
  }

  /** The key's id, the part between the prefix and the secret; not secret. */
  public String id() {
    return id;
  }

  /** The whole key, {@code agora_<id>_<secret>}: show it to its owner once, log it never. */
  public String value() {
    return ApiKeyFormat.PREFIX + id + "_" + secret;
  }

  /** The key with its secret elided, {@code agora_<id>_…}, for messages and logs. */
  public String redacted() {
    return ApiKeyFormat.PREFIX + id + "_…";
  }

  /** SHA-256 of the whole key (UTF-8): what the registry stores instead of the key. */
  public byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(value().getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** Whether this key hashes to {@code storedSha256}, compared in constant time. */
  public boolean matches(byte[] storedSha256) {
    return storedSha256 != null && MessageDigest.isEqual(sha256(), storedSha256);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKeyToken that && id.equals(that.id) && secret.equals(that.secret);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** The redacted key; never the secret. */
  @Override
  public String toString() {
    return redacted();
  }
}
