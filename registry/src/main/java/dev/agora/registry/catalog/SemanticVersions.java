package dev.agora.registry.catalog;

import java.util.Comparator;
import org.semver4j.Semver;

/**
 * Semantic version parsing and precedence. Build metadata ({@code +…}) is refused because it takes
 * no part in precedence, so two versions differing only there could not be ordered.
 */
final class SemanticVersions {
  /** Highest precedence first. */
  static final Comparator<String> NEWEST_FIRST =
      Comparator.comparing(SemanticVersions::parseKnownValid).reversed();

  private SemanticVersions() {}

  /** The parsed version, or null unless {@code text} is a canonical strict semantic version. */
  static Semver parse(String text) {
    Semver parsed = text == null ? null : Semver.parse(text);
    if (parsed == null || !parsed.getBuild().isEmpty() || !parsed.getVersion().equals(text)) {
      return null;
    }
    return parsed;
  }

  /** The higher of two versions; {@code current} may be empty, meaning none. */
  static String higher(String current, String candidate) {
    if (current.isEmpty()) {
      return candidate;
    }
    return parseKnownValid(candidate).compareTo(parseKnownValid(current)) > 0 ? candidate : current;
  }

  /** Whether {@code version} has lower precedence than {@code bound}. */
  static boolean isOlder(String version, String bound) {
    return parseKnownValid(version).compareTo(parseKnownValid(bound)) < 0;
  }

  /** Whether {@code version} is a pre-release such as {@code 2.0.0-rc.1}. */
  static boolean isPreRelease(String version) {
    return !parseKnownValid(version).getPreRelease().isEmpty();
  }

  /**
   * Whether {@code candidate} may break {@code baseline}'s signature: a higher major version, or
   * for a 0.y.z baseline (initial development) a higher major or minor version.
   */
  static boolean isBreakingBump(String baseline, String candidate) {
    Semver base = parseKnownValid(baseline);
    Semver next = parseKnownValid(candidate);
    if (next.getMajor() != base.getMajor()) {
      return next.getMajor() > base.getMajor();
    }
    return base.getMajor() == 0 && next.getMinor() > base.getMinor();
  }

  private static Semver parseKnownValid(String text) {
    Semver parsed = parse(text);
    if (parsed == null) {
      throw new IllegalStateException("stored version '" + text + "' is not a semantic version");
    }
    return parsed;
  }
}
