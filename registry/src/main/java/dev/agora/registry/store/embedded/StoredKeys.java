package dev.agora.registry.store.embedded;

import java.nio.charset.StandardCharsets;

/**
 * Maps keys to the strings the MVStore map sorts. Each UTF-8 byte of the key becomes one character
 * 0-255, so the map's string order is exactly the byte order of the UTF-8 encoding that the SPI
 * promises (plain {@link String} order differs from it outside the Basic Multilingual Plane).
 */
final class StoredKeys {

  private StoredKeys() {}

  static String encode(String key) {
    return new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  static String decode(String stored) {
    return new String(stored.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
