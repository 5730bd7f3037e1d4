package dev.agora.registry.usage;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.KeyUsage;
import dev.agora.proto.registry.v1.ModelLastCall;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.proto.registry.v1.UsageReporter;
import dev.agora.registry.catalog.ModelLastCalls;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Usage records on the metadata store (key layout in {@link UsageKeys}). Counts are added by
 * read-merge-write transactions that require every touched key to be unchanged since it was read,
 * retried on conflict, so concurrent reports from any number of inference servers and registry
 * replicas sum exactly, on the embedded store and on etcd alike.
 */
public final class UsageLedger implements ModelLastCalls {
  /** Conflicting transactions retried before the report is refused with {@code CONFLICT}. */
  static final int MAX_ATTEMPTS = 64;

  /** The longest pause between two attempts, in milliseconds. */
  private static final long MAX_BACKOFF_MILLIS = 20;

  private static final int SCAN_BATCH = 500;

  /** Deletions per pruning transaction, within etcd's default of 128 operations. */
  private static final int PRUNE_BATCH = 100;

  private final MetadataStore store;

  /** The ledger on {@code store}. */
  public UsageLedger(MetadataStore store) {
    this.store = store;
  }

  /**
   * Adds checked counts (see {@link ReportedCounts}) to their records and moves the models' last
   * call times forward, all in one transaction, every time it is called.
   *
   * @return the store revision of the change
   * @throws AgoraException {@code CONFLICT} when other writers changed the same records {@value
   *     #MAX_ATTEMPTS} times in a row
   */
  long add(List<UsageCount> counts) {
    return add(counts, null, null).revision();
  }

  /**
   * As {@link #add(List)}, but at most once per report: when {@code id} names a reporter, the
   * counts are applied only if {@code id.sequence()} is above the last sequence applied for that
   * reporter, and the new sequence is recorded in the same transaction.
   *
   * @param id the reporter and sequence of the report, or null for a report applied every time
   * @param receivedAt the time recorded with the reporter's sequence (unused without {@code id})
   * @throws AgoraException {@code CONFLICT} when other writers changed the same records {@value
   *     #MAX_ATTEMPTS} times in a row
   */
  Outcome add(List<UsageCount> counts, ReportId id, Instant receivedAt) {
    Map<String, List<UsageCount>> byRecord = new LinkedHashMap<>();
    Map<String, Timestamp> lastCalls = new TreeMap<>();
    for (UsageCount count : counts) {
      LocalDate day = LocalDate.parse(count.getDay());
      byRecord
          .computeIfAbsent(
              UsageKeys.record(day, count.getModel(), count.getVersion(), count.getConsumerTeam()),
              key -> new ArrayList<>())
          .add(count);
      lastCalls.merge(count.getModel(), count.getLastCallTime(), UsageLedger::later);
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Txn.Builder txn = Txn.builder();
      if (id != null) {
        Optional<KeyValue> applied = moveSequence(txn, id, receivedAt);
        if (applied.isPresent()) {
          return new Outcome(applied.get().modRevision(), true);
        }
      }
      byRecord.forEach((key, added) -> mergeRecord(txn, key, added));
      lastCalls.forEach((model, time) -> moveLastCall(txn, model, time));
      TxnResult result = store.commit(txn.build());
      if (result.succeeded()) {
        return new Outcome(result.revision(), false);
      }
      // Reporters that collided touch the same records: a random pause spreads their next tries.
      long pauseMillis =
          ThreadLocalRandom.current().nextLong(Math.min(attempt + 1, MAX_BACKOFF_MILLIS) + 1);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
    }
    throw AgoraException.of(
        ErrorReason.CONFLICT,
        "The usage records of this report kept changing while it was applied; report it again.");
  }

  /** A report's reporter and its number. */
  record ReportId(String reporterId, long sequence) {}

  /**
   * What a report did.
   *
   * @param revision the store revision of the change, or for a duplicate of the reporter's record
   * @param duplicate whether the report had been applied before and changed nothing now
   */
  record Outcome(long revision, boolean duplicate) {}

  /**
   * Removes the records of days before {@code firstKeptDay} and the records of reporters whose last
   * report came before {@code reportersSince}. Each batch of deletions requires its records to be
   * unchanged since they were read; a batch that meets a concurrent change is left for the next
   * call.
   *
   * @return how many records were removed
   */
  int prune(LocalDate firstKeptDay, Instant reportersSince) {
    int removed =
        removeWhile(UsageKeys.DAYS, kv -> UsageKeys.dayOf(kv.key()).isBefore(firstKeptDay));
    removed +=
        removeWhere(
            UsageKeys.REPORTERS,
            kv -> {
              Timestamp last = parseReporter(kv).getLastReportTime();
              return Instant.ofEpochSecond(last.getSeconds(), last.getNanos())
                  .isBefore(reportersSince);
            });
    return removed;
  }

  /** Deletes keys under {@code prefix}, in key order, up to the first that {@code due} refuses. */
  private int removeWhile(String prefix, Predicate<KeyValue> due) {
    return remove(prefix, due, true);
  }

  /** Deletes every key under {@code prefix} that {@code due} accepts. */
  private int removeWhere(String prefix, Predicate<KeyValue> due) {
    return remove(prefix, due, false);
  }

  private int remove(String prefix, Predicate<KeyValue> due, boolean stopAtFirstKept) {
    int removed = 0;
    String from = null;
    RangeResult range;
    do {
      range = store.range(prefix, from, PRUNE_BATCH);
      Txn.Builder txn = Txn.builder();
      int batch = 0;
      for (KeyValue kv : range.kvs()) {
        if (!due.test(kv)) {
          if (stopAtFirstKept) {
            return removed + commitRemovals(txn, batch);
          }
          continue;
        }
        txn.ifModRevision(kv.key(), kv.modRevision()).delete(kv.key());
        batch++;
      }
      removed += commitRemovals(txn, batch);
      from = range.kvs().isEmpty() ? from : range.lastKey();
    } while (range.more());
    return removed;
  }

  private int commitRemovals(Txn.Builder txn, int batch) {
    return batch > 0 && store.commit(txn.build()).succeeded() ? batch : 0;
  }

  /**
   * Adds the reporter's new sequence to {@code txn}, guarded by its record's revision; or, when the
   * reporter's record already holds this sequence or a later one, returns that record.
   */
  private Optional<KeyValue> moveSequence(Txn.Builder txn, ReportId id, Instant receivedAt) {
    String key = UsageKeys.reporter(id.reporterId());
    Optional<KeyValue> stored = store.get(key);
    if (stored.isPresent() && parseReporter(stored.get()).getLastSequence() >= id.sequence()) {
      return stored;
    }
    UsageReporter moved =
        UsageReporter.newBuilder()
            .setReporterId(id.reporterId())
            .setLastSequence(id.sequence())
            .setLastReportTime(
                Timestamp.newBuilder()
                    .setSeconds(receivedAt.getEpochSecond())
                    .setNanos(receivedAt.getNano()))
            .build();
    txn.ifModRevision(key, stored.map(KeyValue::modRevision).orElse(0L))
        .put(key, moved.toByteArray());
    return Optional.empty();
  }

  @Override
  public Optional<Instant> lastCall(String model) {
    return store
        .get(UsageKeys.lastCall(model))
        .map(kv -> parseLastCall(kv).getLastCallTime())
        .map(time -> Instant.ofEpochSecond(time.getSeconds(), time.getNanos()));
  }

  /**
   * One page of records in key order (day, model, version, team).
   *
   * @param query the days, filters and page position
   * @param visible which records the caller may see; others are skipped
   */
  Page query(Query query, Predicate<UsageRecord> visible) {
    List<UsageRecord> found = new ArrayList<>();
    String after = query.afterKey();
    LocalDate first = query.start();
    if (after != null && UsageKeys.dayOf(after).isAfter(first)) {
      first = UsageKeys.dayOf(after);
    }
    for (LocalDate day = first; !day.isAfter(query.end()); day = day.plusDays(1)) {
      String prefix =
          query.model() == null ? UsageKeys.day(day) : UsageKeys.dayModel(day, query.model());
      // every key under the prefix sorts after the prefix itself
      String from = after != null && after.compareTo(prefix) > 0 ? after : null;
      RangeResult range;
      do {
        range = store.range(prefix, from, SCAN_BATCH);
        for (KeyValue kv : range.kvs()) {
          UsageRecord record = parseRecord(kv);
          if ((query.team() == null || query.team().equals(record.getConsumerTeam()))
              && visible.test(record)) {
            found.add(record);
            if (found.size() == query.pageSize()) {
              return new Page(found, kv.key());
            }
          }
        }
        from = range.kvs().isEmpty() ? from : range.lastKey();
      } while (range.more());
    }
    return new Page(found, null);
  }

  /**
   * What to read.
   *
   * @param start the first day, inclusive
   * @param end the last day, inclusive
   * @param model only this model, or null for all
   * @param team only this consumer team, or null for all
   * @param afterKey the last record key of the previous page, or null
   * @param pageSize the most records to return
   */
  record Query(
      LocalDate start, LocalDate end, String model, String team, String afterKey, int pageSize) {}

  /** Records found, and the key of the last one when a further page may follow (null when not). */
  record Page(List<UsageRecord> records, String lastKey) {}

  private void mergeRecord(Txn.Builder txn, String key, List<UsageCount> added) {
    Optional<KeyValue> stored = store.get(key);
    UsageRecord current = stored.map(UsageLedger::parseRecord).orElseGet(() -> fresh(added.get(0)));
    long requests = current.getRequests();
    long failed = current.getFailedRequests();
    Timestamp last = current.getLastCallTime();
    Map<String, KeyUsage> keys = new TreeMap<>();
    current.getKeysList().forEach(k -> keys.put(k.getKeyId(), k));
    for (UsageCount count : added) {
      requests = Math.addExact(requests, count.getRequests());
      failed = Math.addExact(failed, count.getFailedRequests());
      last = later(last, count.getLastCallTime());
      keys.merge(
          count.getKeyId(),
          KeyUsage.newBuilder()
              .setKeyId(count.getKeyId())
              .setRequests(count.getRequests())
              .setFailedRequests(count.getFailedRequests())
              .build(),
          (a, b) ->
              a.toBuilder()
                  .setRequests(Math.addExact(a.getRequests(), b.getRequests()))
                  .setFailedRequests(Math.addExact(a.getFailedRequests(), b.getFailedRequests()))
                  .build());
    }
    UsageRecord merged =
        current.toBuilder()
            .clearRevision()
            .setRequests(requests)
            .setFailedRequests(failed)
            .setLastCallTime(last)
            .clearKeys()
            .addAllKeys(keys.values())
            .build();
    txn.ifModRevision(key, stored.map(KeyValue::modRevision).orElse(0L))
        .put(key, merged.toByteArray());
  }

  private void moveLastCall(Txn.Builder txn, String model, Timestamp time) {
    String key = UsageKeys.lastCall(model);
    Optional<KeyValue> stored = store.get(key);
    if (stored.isPresent() && compare(parseLastCall(stored.get()).getLastCallTime(), time) >= 0) {
      return;
    }
    txn.ifModRevision(key, stored.map(KeyValue::modRevision).orElse(0L))
        .put(
            key,
            ModelLastCall.newBuilder().setModel(model).setLastCallTime(time).build().toByteArray());
  }

  private static UsageRecord fresh(UsageCount count) {
    return UsageRecord.newBuilder()
        .setDay(count.getDay())
        .setModel(count.getModel())
        .setVersion(count.getVersion())
        .setConsumerTeam(count.getConsumerTeam())
        .build();
  }

  private static Timestamp later(Timestamp a, Timestamp b) {
    return compare(a, b) >= 0 ? a : b;
  }

  private static int compare(Timestamp a, Timestamp b) {
    int seconds = Long.compare(a.getSeconds(), b.getSeconds());
    return seconds != 0 ? seconds : Integer.compare(a.getNanos(), b.getNanos());
  }

  private static UsageRecord parseRecord(KeyValue kv) {
    try {
      return UsageRecord.parseFrom(kv.value()).toBuilder().setRevision(kv.modRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }

  private static UsageReporter parseReporter(KeyValue kv) {
    try {
      return UsageReporter.parseFrom(kv.value());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }

  private static ModelLastCall parseLastCall(KeyValue kv) {
    try {
      return ModelLastCall.parseFrom(kv.value());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }
}
