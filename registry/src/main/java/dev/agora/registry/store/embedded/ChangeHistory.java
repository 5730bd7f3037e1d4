package dev.agora.registry.store.embedded;

import org.h2.mvstore.MVMap;

/**
 * The history map together with the two revisions that bound what a watch may read: events up to
 * the last committed revision, from the compacted revision on. Writers update the bounds only after
 * the file commit succeeded, so a watch never sees a transaction that could still roll back.
 */
final class ChangeHistory {
  private final MVMap<Long, byte[]> records;
  private volatile long committedRevision;
  private volatile long compactedRevision;

  ChangeHistory(MVMap<Long, byte[]> records, long committedRevision, long compactedRevision) {
    this.records = records;
    this.committedRevision = committedRevision;
    this.compactedRevision = compactedRevision;
  }

  long committedRevision() {
    return committedRevision;
  }

  long compactedRevision() {
    return compactedRevision;
  }

  /** The encoded events of one revision, or null when that revision was compacted away. */
  byte[] record(long revision) {
    return records.get(revision);
  }

  void append(long revision, byte[] record) {
    records.put(revision, record);
  }

  /** Removes records before {@code revision}; the caller commits the file. */
  void removeBefore(long revision) {
    Long oldest = records.isEmpty() ? null : records.firstKey();
    while (oldest != null && oldest < revision) {
      records.remove(oldest);
      oldest = records.higherKey(oldest);
    }
  }

  void committed(long revision) {
    committedRevision = revision;
  }

  void compacted(long revision) {
    compactedRevision = revision;
  }
}
