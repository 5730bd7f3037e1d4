package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.Event;
import java.util.List;

/**
 * One family of keys in the registry's key space (model records, version records, aliases, API
 * keys, ...) and what a change to one of them means as typed events. A new key family becomes
 * visible in the feed by adding an implementation to {@link EventDerivation#registryFamilies()}.
 */
interface KeyFamily {

  /** The prefix every key of the family starts with; the feed loads it at start. */
  String prefix();

  /** Whether the key belongs to this family (keys nested under it may belong to others). */
  boolean owns(String key);

  /**
   * The events one change of an owned key means, possibly none (a rewrite that changes nothing the
   * feed reports).
   *
   * @throws InvalidProtocolBufferException when a stored value is not the family's record
   */
  List<Event> derive(StoredChange change) throws InvalidProtocolBufferException;
}
