package dev.agora.ratelimit.keys;

import java.security.SecureRandom;

/** Draws new API keys: id and random part from a {@link SecureRandom}, checksum appended. */
public final class ApiKeyGenerator {
  private final SecureRandom random;

  /** A generator drawing from {@code random}. */
  public ApiKeyGenerator(SecureRandom random) {
    this.random = random;
  }

  /** A generator drawing from a new {@link SecureRandom}. */
  public static ApiKeyGenerator secure() {
    return new ApiKeyGenerator(new SecureRandom());
  }

  /** A fresh key; ids collide with negligible probability, and the store refuses duplicates. */
  public ApiKeyToken next() {
    return ApiKeyFormat.assemble(draw(ApiKeyFormat.ID_CHARS), draw(ApiKeyFormat.RANDOM_CHARS));
  }

  private String draw(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = Base62.ALPHABET.charAt(random.nextInt(Base62.ALPHABET.length()));
    }
    return new String(chars);
  }
}
