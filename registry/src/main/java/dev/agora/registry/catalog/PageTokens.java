package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Opaque page tokens: the base64url form of the last item a page returned. A token stays valid
 * across writes, because the next page starts after that item rather than at an offset.
 */
public final class PageTokens {
  /** The request field every page token arrives in. */
  public static final String FIELD = "page_token";

  private PageTokens() {}

  /** The token naming {@code lastItem}, the last item of the page being answered. */
  public static String encode(String lastItem) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastItem.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The item a token names, or null for an empty token.
   *
   * @throws AgoraException {@code INVALID_FIELD} naming {@code page_token} when the token is not
   *     one this server issued
   */
  public static String decode(String token, Predicate<String> validItem) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    String item;
    try {
      item = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (!validItem.test(item)) {
      throw invalid();
    }
    return item;
  }

  /** The page size to use: 0 means the default, larger than the maximum means the maximum. */
  public static int pageSize(int requested, int defaultSize, int maxSize) {
    if (requested < 0) {
      throw AgoraException.invalidField("page_size", "cannot be negative");
    }
    return requested == 0 ? defaultSize : Math.min(requested, maxSize);
  }

  private static AgoraException invalid() {
    return AgoraException.invalidField(FIELD, "is not a page token this server issued");
  }
}
