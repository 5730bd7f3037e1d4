package dev.agora.registry.aliases;

import dev.agora.registry.catalog.CatalogKeys;
import java.util.regex.Pattern;

/**
 * Where aliases live in the metadata store.
 *
 * <ul>
 *   <li>{@code /agora/v1/models/{model}/aliases/{alias}}: the {@code Alias} in force
 *   <li>{@code /agora/v1/models/{model}/alias-history/{alias}/{inverted sequence}}: one {@code
 *       AliasHistoryEntry} per move; the key ends in 19 digits of {@code Long.MAX_VALUE} minus the
 *       entry's sequence number, so a forward range read lists the newest move first
 * </ul>
 */
public final class AliasKeys {
  private static final Pattern INVERTED_SEQUENCE = Pattern.compile("\\d{19}");

  private AliasKeys() {}

  /** The prefix of every alias of one model. */
  public static String aliasesOf(String model) {
    return CatalogKeys.model(model) + "/aliases/";
  }

  /** The key of one alias. */
  public static String alias(String model, String alias) {
    return aliasesOf(model) + alias;
  }

  /** The prefix of one alias's history. */
  public static String historyOf(String model, String alias) {
    return CatalogKeys.model(model) + "/alias-history/" + alias + "/";
  }

  /** The key of one history entry. */
  static String historyEntry(String model, String alias, long sequence) {
    return historyOf(model, alias) + String.format("%019d", Long.MAX_VALUE - sequence);
  }

  /** The sequence number a history entry key ends in. */
  static long sequenceOf(String historyKey) {
    String suffix = historyKey.substring(historyKey.lastIndexOf('/') + 1);
    if (!INVERTED_SEQUENCE.matcher(suffix).matches()) {
      throw new IllegalStateException("not an alias history key: " + historyKey);
    }
    return Long.MAX_VALUE - Long.parseLong(suffix);
  }
}
