/**
 * API keys as strings: the {@code agora_<id>_<secret>} format with its checksum ({@link
 * dev.agora.ratelimit.keys.ApiKeyFormat}), the parsed form that never prints its secret ({@link
 * dev.agora.ratelimit.keys.ApiKeyToken}), and the generator that draws new keys from a {@link
 * java.security.SecureRandom} ({@link dev.agora.ratelimit.keys.ApiKeyGenerator}). Nothing here
 * touches a store: a string that fails the format or the checksum is refused before anyone looks
 * anything up.
 */
package dev.agora.ratelimit.keys;
