package dev.agora.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The watch and concurrency half of the metadata store contract. */
// Watches are held open by try-with-resources blocks that never name them.
@SuppressWarnings("try")
public abstract class MetadataStoreWatchContract extends MetadataStoreContractFixture {

  @Test
  void watchFromAPastRevisionReplaysInOrderThenFollowsNewChanges() {
    long first = put("/w/a", "1");
    long second = put("/w/b", "2");
    long third = delete("/w/a");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch("/w/", second, listener)) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 2);
      long fourth = put("/w/c", "3");
      await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 3);

      assertThat(listener.events())
          .containsExactly(
              new WatchEvent(WatchEvent.Type.PUT, "/w/b", bytes("2"), second),
              new WatchEvent(WatchEvent.Type.DELETE, "/w/a", new byte[0], third),
              new WatchEvent(WatchEvent.Type.PUT, "/w/c", bytes("3"), fourth));
      assertThat(first).isLessThan(second);
    }
  }

  @Test
  void watchDeliversOnlyKeysWithItsPrefix() {
    RecordingListener models = new RecordingListener();
    RecordingListener everything = new RecordingListener();
    try (Watch a = store.watch("/agora/v1/models/", 0, models);
        Watch b = store.watch("", 0, everything)) {
      put("/agora/v1/teams/t", "t");
      put("/agora/v1/models/m", "m");
      put("/agora/v1/keys/k", "k");
      await().atMost(10, TimeUnit.SECONDS).until(() -> everything.events().size() == 3);
      await().atMost(10, TimeUnit.SECONDS).until(() -> models.events().size() == 1);
      assertThat(models.keys()).containsExactly("/agora/v1/models/m");
    }
  }

  @Test
  void watchFromZeroSkipsTheExistingHistory() {
    put("/w/old", "old");
    RecordingListener listener = new RecordingListener();
    try (Watch ignored = store.watch("/w/", 0, listener)) {
      put("/w/new", "new");
      await().atMost(10, TimeUnit.SECONDS).until(() -> !listener.events().isEmpty());
      assertThat(listener.keys()).containsExactly("/w/new");
    }
  }

  @Test
  void aClosedWatchReceivesNothingMore() {
    RecordingListener closed = new RecordingListener();
    RecordingListener control = new RecordingListener();
    try (Watch stillOpen = store.watch("/w/", 0, control)) {
      Watch watch = store.watch("/w/", 0, closed);
      put("/w/1", "1");
      await().atMost(10, TimeUnit.SECONDS).until(() -> closed.events().size() == 1);
      watch.close();
      put("/w/2", "2");
      await().atMost(10, TimeUnit.SECONDS).until(() -> control.events().size() == 2);
      assertThat(closed.keys()).containsExactly("/w/1");
    }
  }

  @Test
  void aWatchNeedingCompactedHistoryIsToldSo() {
    long first = put("/w/1", "1");
    put("/w/2", "2");
    long third = put("/w/3", "3");
    store.compact(third);

    RecordingListener tooOld = new RecordingListener();
    RecordingListener recent = new RecordingListener();
    try (Watch a = store.watch("/w/", first, tooOld);
        Watch b = store.watch("/w/", third, recent)) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> tooOld.compactedAt() == third);
      await().atMost(10, TimeUnit.SECONDS).until(() -> recent.events().size() == 1);
      assertThat(tooOld.events()).isEmpty();
      assertThat(recent.keys()).containsExactly("/w/3");
    }
    assertThat(store.get("/w/1")).isPresent();
  }

  @Test
  void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
    int writers = 8;
    List<Boolean> outcomes = race(writers, i -> () -> createIfAbsent("/race", "writer-" + i));

    assertThat(outcomes).containsOnlyOnce(true);
    int winner = outcomes.indexOf(true);
    assertThat(store.get("/race").orElseThrow().value()).isEqualTo(bytes("writer-" + winner));
  }

  @Test
  void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
    put("/counter", "0");
    int writers = 8;
    int increments = 25;
    race(
        writers,
        i ->
            () -> {
              for (int n = 0; n < increments; n++) {
                incrementWithRetry("/counter");
              }
              return true;
            });

    KeyValue counter = store.get("/counter").orElseThrow();
    assertThat(new String(counter.value(), UTF_8))
        .isEqualTo(Integer.toString(writers * increments));
    assertThat(counter.version()).isEqualTo(writers * increments + 1L);
  }

  private boolean createIfAbsent(String key, String value) {
    return store.commit(Txn.builder().ifAbsent(key).put(key, bytes(value)).build()).succeeded();
  }

  private void incrementWithRetry(String key) {
    while (true) {
      KeyValue current = store.get(key).orElseThrow();
      int next = Integer.parseInt(new String(current.value(), UTF_8)) + 1;
      Txn txn =
          Txn.builder()
              .ifModRevision(key, current.modRevision())
              .put(key, bytes(Integer.toString(next)))
              .build();
      if (store.commit(txn).succeeded()) {
        return;
      }
    }
  }

  /** Runs one task per thread, all released at once, and returns their results in order. */
  private static <T> List<T> race(int threads, IntFunction<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<T> task = tasks.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
