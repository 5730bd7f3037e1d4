package dev.agora.ratelimit.keys;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The API key format {@code agora_<id>_<secret>}.
 *
 * <ul>
 *   <li>{@code <id>}: {@value #ID_CHARS} base62 characters naming the key (not secret);
 *   <li>{@code <secret>}: {@value #RANDOM_CHARS} random base62 characters followed by a {@value
 *       #CHECKSUM_CHARS}-character checksum: the CRC-32 of everything before it ({@code
 *       agora_<id>_<random>}) in base62.
 * </ul>
 *
 * <p>The checksum lets every server refuse a truncated or mistyped key without a lookup; it is not
 * a security measure (anyone can compute it), the {@value #RANDOM_CHARS} random characters (about
 * 190 bits) are.
 */
public final class ApiKeyFormat {
  /** Every key starts with this. */
  public static final String PREFIX = "agora_";

  /** Characters in the id. */
  public static final int ID_CHARS = 16;

  /** Random characters at the start of the secret. */
  public static final int RANDOM_CHARS = 32;

  /** Checksum characters at the end of the secret. */
  public static final int CHECKSUM_CHARS = 6;

  /** Characters in the secret: random part and checksum. */
  public static final int SECRET_CHARS = RANDOM_CHARS + CHECKSUM_CHARS;

  /** The length of every key. */
  public static final int LENGTH = PREFIX.length() + ID_CHARS + 1 + SECRET_CHARS;

  private static final int ID_START = PREFIX.length();
  private static final int SEPARATOR = ID_START + ID_CHARS;
  private static final int SECRET_START = SEPARATOR + 1;
  private static final int CHECKSUM_START = SECRET_START + RANDOM_CHARS;

  private ApiKeyFormat() {}

  /**
   * The key in {@code text}, or empty when {@code text} is not a well-formed key with a matching
   * checksum. Never throws, whatever the input.
   */
  public static Optional<ApiKeyToken> parse(String text) {
    if (text == null
        || text.length() != LENGTH
        || !text.startsWith(PREFIX)
        || text.charAt(SEPARATOR) != '_'
        || !Base62.allDigits(text, ID_START, SEPARATOR)
        || !Base62.allDigits(text, SECRET_START, LENGTH)) {
      return Optional.empty();
    }
    String expected = checksum(text.substring(0, CHECKSUM_START));
    if (!expected.equals(text.substring(CHECKSUM_START))) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiKeyToken(text.substring(ID_START, SEPARATOR), text.substring(SECRET_START)));
  }

  /** Whether {@code id} could be the id of a key (length and characters). */
  public static boolean isKeyId(String id) {
    return id != null && id.length() == ID_CHARS && Base62.allDigits(id, 0, ID_CHARS);
  }

  /**
   * The key made of this id and random part, with its checksum appended; for the generator and for
   * tests that need a key with a given id.
   *
   * @throws IllegalArgumentException when either part has the wrong length or characters
   */
  public static ApiKeyToken assemble(String id, String random) {
    String body = PREFIX + id + "_" + random;
    return parse(body + checksum(body))
        .orElseThrow(() -> new IllegalArgumentException("not a key id and random part"));
  }

  /** The base62 CRC-32 of {@code body}. */
  static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return Base62.fixedWidth(crc.getValue(), CHECKSUM_CHARS);
  }
}
