package dev.agora.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MetadataStore} must show: keys and revisions, transactions and ranges
 * here, watches and concurrent writers in the inherited {@link MetadataStoreWatchContract}.
 * Subclass it per implementation and return a fresh, empty store from {@link #newStore()}.
 */
public abstract class MetadataStoreContractTest extends MetadataStoreWatchContract {

  @Test
  void getOfAMissingKeyIsEmpty() {
    assertThat(store.get("/agora/v1/models/none")).isEmpty();
  }

  @Test
  void putCreatesKeyWithRevisionsOfThatWrite() {
    long before = store.currentRevision();
    long revision = put("/agora/v1/models/a", "one");

    KeyValue kv = store.get("/agora/v1/models/a").orElseThrow();
    assertThat(revision).isGreaterThan(before);
    assertThat(kv.value()).isEqualTo(bytes("one"));
    assertThat(kv.createRevision()).isEqualTo(revision);
    assertThat(kv.modRevision()).isEqualTo(revision);
    assertThat(kv.version()).isEqualTo(1);
    assertThat(store.currentRevision()).isEqualTo(revision);
  }

  @Test
  void updateKeepsCreateRevisionAndCountsVersions() {
    long created = put("/k", "one");
    long updated = put("/k", "two");

    KeyValue kv = store.get("/k").orElseThrow();
    assertThat(updated).isGreaterThan(created);
    assertThat(kv.value()).isEqualTo(bytes("two"));
    assertThat(kv.createRevision()).isEqualTo(created);
    assertThat(kv.modRevision()).isEqualTo(updated);
    assertThat(kv.version()).isEqualTo(2);
  }

  @Test
  void deleteRemovesTheKeyAndRecreatingStartsOver() {
    put("/k", "one");
    put("/k", "two");
    long deleted = delete("/k");
    assertThat(store.get("/k")).isEmpty();

    long recreated = put("/k", "three");
    KeyValue kv = store.get("/k").orElseThrow();
    assertThat(recreated).isGreaterThan(deleted);
    assertThat(kv.createRevision()).isEqualTo(recreated);
    assertThat(kv.version()).isEqualTo(1);
  }

  @Test
  void deletingAnAbsentKeyChangesNothing() {
    long before = put("/k", "one");
    TxnResult result = store.commit(Txn.builder().delete("/other").build());
    assertThat(result.succeeded()).isTrue();
    assertThat(result.revision()).isEqualTo(before);
    assertThat(store.currentRevision()).isEqualTo(before);
  }

  @Test
  void revisionsStrictlyIncrease() {
    long previous = store.currentRevision();
    for (int i = 0; i < 20; i++) {
      long revision = i % 3 == 2 ? delete("/k" + (i - 1)) : put("/k" + i, "v" + i);
      assertThat(revision).isGreaterThan(previous);
      previous = revision;
    }
    assertThat(store.currentRevision()).isEqualTo(previous);
  }

  @Test
  void compareAndSwapSucceedsOnTheCurrentModRevision() {
    long revision = put("/k", "one");
    TxnResult swapped =
        store.commit(Txn.builder().ifModRevision("/k", revision).put("/k", bytes("two")).build());
    assertThat(swapped.succeeded()).isTrue();
    assertThat(swapped.revision()).isGreaterThan(revision);
    assertThat(store.get("/k").orElseThrow().value()).isEqualTo(bytes("two"));
  }

  @Test
  void compareAndSwapFailsOnAStaleModRevisionAndWritesNothing() {
    long first = put("/k", "one");
    long second = put("/k", "two");
    TxnResult stale =
        store.commit(
            Txn.builder()
                .ifModRevision("/k", first)
                .put("/k", bytes("three"))
                .put("/side-effect", bytes("x"))
                .build());
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.revision()).isEqualTo(second);
    assertThat(store.get("/k").orElseThrow().value()).isEqualTo(bytes("two"));
    assertThat(store.get("/side-effect")).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(second);
  }

  @Test
  void absentCompareHoldsOnlyForMissingKeys() {
    assertThat(store.commit(Txn.builder().ifAbsent("/k").put("/k", bytes("a")).build()).succeeded())
        .isTrue();
    assertThat(store.commit(Txn.builder().ifAbsent("/k").put("/k", bytes("b")).build()).succeeded())
        .isFalse();
    assertThat(store.get("/k").orElseThrow().value()).isEqualTo(bytes("a"));

    delete("/k");
    assertThat(store.commit(Txn.builder().ifAbsent("/k").put("/k", bytes("c")).build()).succeeded())
        .isTrue();
  }

  @Test
  void aTransactionWritesAllItsKeysUnderOneRevision() {
    long existing = put("/a", "old");
    TxnResult result =
        store.commit(
            Txn.builder()
                .ifModRevision("/a", existing)
                .ifAbsent("/b")
                .put("/b", bytes("new"))
                .delete("/a")
                .put("/c", bytes("c"))
                .build());
    assertThat(result.succeeded()).isTrue();
    assertThat(store.get("/a")).isEmpty();
    assertThat(store.get("/b").orElseThrow().modRevision()).isEqualTo(result.revision());
    assertThat(store.get("/c").orElseThrow().modRevision()).isEqualTo(result.revision());
  }

  @Test
  void aTransactionMayNotWriteAKeyTwice() {
    assertThatThrownBy(() -> Txn.builder().put("/k", bytes("a")).delete("/k").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/k");
  }

  @Test
  void rangeReturnsOnlyKeysWithThePrefixInOrder() {
    put("/agora/v1/models/b", "b");
    put("/agora/v1/models/a", "a");
    put("/agora/v1/models/a/versions/1.0.0", "a1");
    put("/agora/v1/modelsx", "outside");
    put("/agora/v1/model", "outside");
    put("/agora/v2/models/a", "outside");

    RangeResult range = store.range("/agora/v1/models/", null, 100);
    assertThat(range.kvs())
        .extracting(KeyValue::key)
        .containsExactly(
            "/agora/v1/models/a", "/agora/v1/models/a/versions/1.0.0", "/agora/v1/models/b");
    assertThat(range.more()).isFalse();
    assertThat(range.revision()).isEqualTo(store.currentRevision());
  }

  @Test
  void rangeOrdersKeysByTheirUtf8Bytes() {
    List<String> byteOrder = List.of("/k/B", "/k/a", "/k/\u00e9", "/k/\uff21", "/k/\ud83d\ude00");
    for (String key : List.of(byteOrder.get(4), byteOrder.get(2), byteOrder.get(0))) {
      put(key, key);
    }
    put(byteOrder.get(3), "x");
    put(byteOrder.get(1), "x");

    assertThat(store.range("/k/", null, 10).kvs())
        .extracting(KeyValue::key)
        .containsExactlyElementsOf(byteOrder);
  }

  @Test
  void rangePagesWithStartAfterKeyAndLimit() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String key = String.format("/p/%02d", i);
      all.add(key);
      put(key, "v" + i);
    }
    put("/q/00", "outside");

    List<String> seen = new ArrayList<>();
    List<Boolean> mores = new ArrayList<>();
    String cursor = null;
    RangeResult page;
    do {
      page = store.range("/p/", cursor, 10);
      page.kvs().forEach(kv -> seen.add(kv.key()));
      mores.add(page.more());
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    } while (page.more());

    assertThat(seen).containsExactlyElementsOf(all);
    assertThat(mores).containsExactly(true, true, false);
  }

  @Test
  void rangeStartAfterBeforeThePrefixStartsAtThePrefix() {
    put("/p/1", "1");
    put("/p/2", "2");
    assertThat(store.range("/p/", "/a", 10).kvs()).hasSize(2);
    assertThat(store.range("/p/", "/p/1", 10).kvs())
        .extracting(KeyValue::key)
        .containsExactly("/p/2");
    assertThat(store.range("/p/", "/p/2", 10).kvs()).isEmpty();
  }

  @Test
  void rangeExactlyFillingTheLimitHasNoMore() {
    put("/p/1", "1");
    put("/p/2", "2");
    RangeResult range = store.range("/p/", null, 2);
    assertThat(range.kvs()).hasSize(2);
    assertThat(range.more()).isFalse();
  }

  @Test
  void rangeRefusesANonPositiveLimit() {
    assertThatThrownBy(() -> store.range("/p/", null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
