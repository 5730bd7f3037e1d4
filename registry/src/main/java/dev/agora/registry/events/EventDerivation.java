package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies store keys by family and turns their changes into typed events. Keys no family owns
 * (artifact references, audit records, alias history, whatever is added later) produce nothing, so
 * new key families appear in the feed only once they are listed in {@link #registryFamilies()}.
 */
final class EventDerivation {
  /** The prefix of the whole registry key space: the feed watches it with one store watch. */
  static final String WATCH_PREFIX = "/agora/v1/";

  private static final Logger log = LoggerFactory.getLogger(EventDerivation.class);

  private final List<KeyFamily> families;

  EventDerivation(List<KeyFamily> families) {
    this.families = List.copyOf(families);
    for (KeyFamily family : this.families) {
      if (!family.prefix().startsWith(WATCH_PREFIX)) {
        throw new IllegalArgumentException(
            "a key family's prefix must lie under " + WATCH_PREFIX + ": " + family.prefix());
      }
    }
  }

  /** Every key family the registry publishes, in the one place where new ones are added. */
  static EventDerivation registryFamilies() {
    return new EventDerivation(
        List.of(
            new ModelRecords(), new VersionRecords(), new AliasRecords(), new ApiKeyRevocations()));
  }

  /** The prefixes to load at start, each once, without one that another already covers. */
  List<String> scanPrefixes() {
    Set<String> prefixes = new LinkedHashSet<>();
    families.forEach(family -> prefixes.add(family.prefix()));
    List<String> minimal = new ArrayList<>();
    for (String prefix : prefixes) {
      boolean covered =
          prefixes.stream().anyMatch(other -> !other.equals(prefix) && prefix.startsWith(other));
      if (!covered) {
        minimal.add(prefix);
      }
    }
    return minimal;
  }

  /** Whether some family owns the key, that is whether the feed must remember its value. */
  boolean owns(String key) {
    return family(key).isPresent();
  }

  /**
   * The events a change means. An unreadable record is logged and produces no event: one damaged
   * value must not stop the feed for everyone.
   */
  List<Event> derive(StoredChange change) {
    Optional<KeyFamily> family = family(change.key());
    if (family.isEmpty()) {
      return List.of();
    }
    try {
      return family.get().derive(change);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      log.warn(
          "cannot derive events from {} at revision {}; skipping it",
          change.key(),
          change.revision(),
          e);
      return List.of();
    }
  }

  private Optional<KeyFamily> family(String key) {
    for (KeyFamily family : families) {
      if (family.owns(key)) {
        return Optional.of(family);
      }
    }
    return Optional.empty();
  }
}
