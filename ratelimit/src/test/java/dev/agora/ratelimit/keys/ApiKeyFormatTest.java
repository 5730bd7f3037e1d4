package dev.agora.ratelimit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  @Test
  void generatedKeysHaveTheDocumentedShapeAndParseBack() {
    ApiKeyToken key = generator.next();
    String value = key.value();

    assertThat(value)
        .hasSize(ApiKeyFormat.LENGTH)
        .startsWith("agora_" + key.id() + "_")
        .matches("agora_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}");
    assertThat(ApiKeyFormat.parse(value)).contains(key);
    assertThat(ApiKeyFormat.isKeyId(key.id())).isTrue();
  }

  @Test
  void everySingleCharacterChangeOfIdOrSecretFailsTheChecksum() {
    String value = generator.next().value();
    for (int i = ApiKeyFormat.PREFIX.length(); i < value.length(); i++) {
      if (value.charAt(i) == '_') {
        continue;
      }
      char replacement = value.charAt(i) == 'x' ? 'y' : 'x';
      String altered = value.substring(0, i) + replacement + value.substring(i + 1);
      assertThat(ApiKeyFormat.parse(altered)).as("changed at %d: %s", i, altered).isEmpty();
    }
    assertThat(ApiKeyFormat.parse(value)).isPresent();
  }

  @Test
  void truncatedExtendedAndSwappedKeysAreRefused() {
    String value = generator.next().value();

    assertThat(ApiKeyFormat.parse(value.substring(0, value.length() - 1))).isEmpty();
    assertThat(ApiKeyFormat.parse(value + "0")).isEmpty();
    assertThat(ApiKeyFormat.parse(" " + value)).isEmpty();
    String swapped =
        value.substring(0, value.length() - 2)
            + value.charAt(value.length() - 1)
            + value.charAt(value.length() - 2);
    if (!swapped.equals(value)) {
      assertThat(ApiKeyFormat.parse(swapped)).isEmpty();
    }
    assertThat(ApiKeyFormat.parse(value)).isPresent();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "agora_",
        "agora__",
        "Bearer agora_0123456789abcdef_0123456789abcdefghijklmnopqrstuvwxyzAB",
        "AGORA_0123456789abcdef_0123456789abcdefghijklmnopqrstuvABCDEF",
        "agora-0123456789abcdef_0123456789abcdefghijklmnopqrstuvABCDEF",
        "agora_0123456789abcdef-0123456789abcdefghijklmnopqrstuvABCDEF",
        "agora_0123456789abcde!_0123456789abcdefghijklmnopqrstuvABCDEF",
        "agora_0123456789abcdef_0123456789abcdefghijklmnopqrstuvABCDE\u00e9",
        "agora_0123456789abcdef_0123456789abcdefghijklmnopqrstuvABCDEF"
      })
  void malformedTextIsRefused(String text) {
    assertThat(ApiKeyFormat.parse(text)).isEmpty();
  }

  @Test
  void theChecksumIsTheBase62Crc32OfEverythingBeforeIt() {
    String body = "agora_0123456789abcdef_" + "A".repeat(ApiKeyFormat.RANDOM_CHARS);
    String checksum = ApiKeyFormat.checksum(body);

    assertThat(checksum).hasSize(ApiKeyFormat.CHECKSUM_CHARS);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(decodeBase62(checksum)).isEqualTo(crc.getValue());
    assertThat(ApiKeyFormat.parse(body + checksum)).isPresent();
  }

  @Test
  void idsAreNotReused() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.add(generator.next().id())).isTrue();
    }
  }

  private static long decodeBase62(String digits) {
    long value = 0;
    for (char c : digits.toCharArray()) {
      value = value * 62 + Base62.ALPHABET.indexOf(c);
    }
    return value;
  }
}
