package dev.agora.registry.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads audit events, newest first. */
public final class AuditLog {
  private static final int SCAN_BATCH = 256;

  private final MetadataStore store;

  /** A log over the events in {@code store}. */
  public AuditLog(MetadataStore store) {
    this.store = store;
  }

  /**
   * Which events to read.
   *
   * @param model only this model's events; null for any
   * @param team only events of models this team owned at the time; null for any
   * @param start only events at or after this instant; null for no bound
   * @param end only events before this instant; null for no bound
   * @param afterId only events after (older than) this id, the last of the previous page; or null
   * @param limit the most events to return, at least 1
   */
  public record Query(
      String model, String team, Instant start, Instant end, String afterId, int limit) {}

  /**
   * A page of events.
   *
   * @param events newest first, each with its id and the revision of its mutation
   * @param more whether older matching events follow
   */
  public record Page(List<AuditEvent> events, boolean more) {}

  /** The events the query selects, newest first. */
  public Page list(Query query) {
    String prefix = prefixFor(query);
    String cursor = startCursor(prefix, query);
    List<AuditEvent> events = new ArrayList<>(query.limit() + 1);
    boolean more = true;
    while (more && events.size() <= query.limit()) {
      RangeResult page = store.range(prefix, cursor, SCAN_BATCH);
      for (KeyValue kv : page.kvs()) {
        String id = kv.key().substring(prefix.length());
        if (query.start() != null && AuditKeys.isBefore(id, query.start())) {
          return finish(events, query.limit());
        }
        AuditEvent event = decode(kv);
        if (matchesTeam(query, event) && events.size() <= query.limit()) {
          events.add(event);
        }
      }
      more = page.more();
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    }
    return finish(events, query.limit());
  }

  private static Page finish(List<AuditEvent> events, int limit) {
    return events.size() > limit
        ? new Page(List.copyOf(events.subList(0, limit)), true)
        : new Page(List.copyOf(events), false);
  }

  private static String prefixFor(Query query) {
    if (query.model() != null) {
      return AuditKeys.ofModel(query.model());
    }
    return query.team() != null ? AuditKeys.ofTeam(query.team()) : AuditKeys.EVENTS;
  }

  private static String startCursor(String prefix, Query query) {
    String cursor = query.afterId() == null ? null : prefix + query.afterId();
    if (query.end() != null) {
      String endCursor = prefix + AuditKeys.lastIdAtOrAfter(query.end());
      cursor = cursor == null || endCursor.compareTo(cursor) > 0 ? endCursor : cursor;
    }
    return cursor;
  }

  /** With a model filter the model index is read, so the team is checked on each event. */
  private static boolean matchesTeam(Query query, AuditEvent event) {
    return query.team() == null
        || query.model() == null
        || query.team().equals(event.getTeam())
        || query.team().equals(event.getPreviousTeam());
  }

  private static AuditEvent decode(KeyValue kv) {
    try {
      return AuditEvent.parseFrom(kv.value()).toBuilder()
          .setRevisionAfter(kv.modRevision())
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored audit event " + kv.key() + " is unreadable", e);
    }
  }
}
