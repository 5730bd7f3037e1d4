package dev.agora.registry.blob;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** The textual form of a SHA-256 digest: 64 lower-case hexadecimal characters. */
public final class Sha256Hex {
  private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");

  private Sha256Hex() {}

  /** Whether {@code text} is 64 lower-case hex characters. */
  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  /** Returns {@code text} when valid, otherwise throws {@link IllegalArgumentException}. */
  public static String requireValid(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException(
          "a SHA-256 digest must be 64 lower-case hex characters, got " + text);
    }
    return text;
  }

  /** Formats a 32-byte digest. */
  public static String of(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + digest.length);
    }
    return HexFormat.of().formatHex(digest);
  }
}
