package dev.agora.registry.audit;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.registry.store.Txn;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Appends audit events to the transactions of the mutations they describe. Callers start an event
 * with {@link #event}, fill in what changed, and {@link #append} it to the transaction that makes
 * the change.
 */
public final class AuditTrail {
  private final Supplier<String> callers;
  private final AtomicLong sequence = new AtomicLong();
  private final SecureRandom nonces = new SecureRandom();

  /**
   * A trail recording the caller each supplier call names.
   *
   * @param callers who is calling now; {@link CallerIdentity#current()} in the servers
   */
  public AuditTrail(Supplier<String> callers) {
    this.callers = callers;
  }

  /** Who is calling now. */
  public String caller() {
    return callers.get();
  }

  /** An event of {@code action} on {@code model} at {@code time}, by the current caller. */
  public AuditEvent.Builder event(AuditAction action, String model, Instant time) {
    return AuditEvent.newBuilder()
        .setAction(action)
        .setModel(model)
        .setActor(caller())
        .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()));
  }

  /**
   * Adds the event's log and index keys to {@code txn}; returns the event as stored, with its id.
   */
  public AuditEvent append(Txn.Builder txn, AuditEvent.Builder event) {
    Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
    String id = AuditKeys.id(time, sequence.incrementAndGet(), nonces.nextInt());
    AuditEvent stored = event.setId(id).clearRevisionAfter().build();
    byte[] value = stored.toByteArray();
    txn.put(AuditKeys.EVENTS + id, value);
    txn.put(AuditKeys.ofModel(stored.getModel()) + id, value);
    Set<String> teams = new LinkedHashSet<>();
    teams.add(stored.getTeam());
    teams.add(stored.getPreviousTeam());
    teams.remove("");
    teams.forEach(team -> txn.put(AuditKeys.ofTeam(team) + id, value));
    return stored;
  }
}
