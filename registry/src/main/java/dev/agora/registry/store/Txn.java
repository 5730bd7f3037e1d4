package dev.agora.registry.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An atomic compare-and-write: when every {@link Compare} holds, all {@link Op}s are applied under
 * one new revision; otherwise nothing is written.
 *
 * @param compares the conditions, all of which must hold
 * @param operations the writes applied when they do; each key at most once
 */
public record Txn(List<Compare> compares, List<Op> operations) {

  /**
   * Requires a key's mod revision to equal {@code expectedModRevision}; 0 means the key is absent.
   */
  public record Compare(String key, long expectedModRevision) {
    /** Checks the fields. */
    public Compare {
      Objects.requireNonNull(key, "key");
      if (expectedModRevision < 0) {
        throw new IllegalArgumentException("an expected mod revision cannot be negative");
      }
    }
  }

  /** A write in a transaction. */
  public sealed interface Op permits Put, Delete {
    /** The key written. */
    String key();
  }

  /** Sets a key's value, creating the key when absent. */
  public record Put(String key, byte[] value) implements Op {
    /** Checks the fields and copies the value. */
    public Put {
      Objects.requireNonNull(key, "key");
      value = Objects.requireNonNull(value, "value").clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  /** Removes a key; removing an absent key changes nothing. */
  public record Delete(String key) implements Op {
    /** Checks the field. */
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Checks that no key is written twice and copies the lists. */
  public Txn {
    compares = List.copyOf(compares);
    operations = List.copyOf(operations);
    Set<String> written = new HashSet<>();
    for (Op op : operations) {
      if (!written.add(op.key())) {
        throw new IllegalArgumentException(
            "a transaction may write each key at most once; " + op.key() + " appears twice");
      }
    }
  }

  /** Starts an empty transaction. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects compares and operations. */
  public static final class Builder {
    private final List<Compare> compares = new ArrayList<>();
    private final List<Op> operations = new ArrayList<>();

    private Builder() {}

    /** Requires {@code key} to have been last written at {@code modRevision}. */
    public Builder ifModRevision(String key, long modRevision) {
      compares.add(new Compare(key, modRevision));
      return this;
    }

    /** Requires {@code key} to be absent. */
    public Builder ifAbsent(String key) {
      return ifModRevision(key, 0);
    }

    /** Writes {@code value} under {@code key}. */
    public Builder put(String key, byte[] value) {
      operations.add(new Put(key, value));
      return this;
    }

    /** Deletes {@code key}. */
    public Builder delete(String key) {
      operations.add(new Delete(key));
      return this;
    }

    /** The transaction. */
    public Txn build() {
      return new Txn(compares, operations);
    }
  }
}
