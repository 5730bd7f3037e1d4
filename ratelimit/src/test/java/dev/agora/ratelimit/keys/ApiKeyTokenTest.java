package dev.agora.ratelimit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ApiKeyTokenTest {
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  @Test
  void printingAKeyNeverShowsItsSecret() {
    ApiKeyToken key = generator.next();
    String secret = key.value().substring(key.value().lastIndexOf('_') + 1);

    assertThat(key.toString()).isEqualTo("agora_" + key.id() + "_…").doesNotContain(secret);
    assertThat(key.redacted()).doesNotContain(secret);
    assertThat(String.valueOf(java.util.List.of(key))).doesNotContain(secret);
  }

  @Test
  void theHashIsSha256OfTheWholeKey() throws Exception {
    ApiKeyToken key = generator.next();
    byte[] expected =
        MessageDigest.getInstance("SHA-256").digest(key.value().getBytes(StandardCharsets.UTF_8));

    assertThat(key.sha256()).isEqualTo(expected);
    assertThat(key.matches(expected)).isTrue();
  }

  @Test
  void anotherKeyOrAMissingHashDoesNotMatch() {
    ApiKeyToken key = generator.next();
    ApiKeyToken other = generator.next();

    assertThat(other.matches(key.sha256())).isFalse();
    assertThat(key.matches(null)).isFalse();
    assertThat(key.matches(new byte[0])).isFalse();
    assertThat(key.matches(key.sha256())).isTrue();
  }
}
