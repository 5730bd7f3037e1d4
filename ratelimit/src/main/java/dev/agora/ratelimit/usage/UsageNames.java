package dev.agora.ratelimit.usage;

/**
 * The names a usage count may carry (usage.proto): a call that names a model no catalog could hold
 * is not metered, because the registry would refuse its count.
 */
final class UsageNames {
  private static final int MAX_MODEL_LENGTH = 63;
  private static final int MAX_VERSION_LENGTH = 64;

  private UsageNames() {}

  /** 1 to 63 lower-case letters, digits or '-', starting with a letter. */
  static boolean isModel(String name) {
    int length = name.length();
    if (length == 0 || length > MAX_MODEL_LENGTH || !isLower(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = name.charAt(i);
      if (!isLower(c) && !isDigit(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** Empty, or 1 to 64 letters, digits, '.', '+' or '-' starting with a letter or digit. */
  static boolean isVersion(String version) {
    int length = version.length();
    if (length == 0) {
      return true;
    }
    if (length > MAX_VERSION_LENGTH || !isAlphanumeric(version.charAt(0))) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = version.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '+' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlphanumeric(char c) {
    return isLower(c) || isDigit(c) || (c >= 'A' && c <= 'Z');
  }
}
