package dev.agora.registry.store.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.RecordingListener;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store promises beyond the contract: durability and its threading. */
// Watches are held open by try-with-resources blocks that never name them.
@SuppressWarnings("try")
class EmbeddedMetadataStoreTest {
  @TempDir Path directory;

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static long put(EmbeddedMetadataStore store, String key, String value) {
    return store.commit(Txn.builder().put(key, bytes(value)).build()).revision();
  }

  @Test
  void keepsItsFileInTheDirectory() {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory.resolve("m"))) {
      put(store, "/k", "v");
    }
    assertThat(directory.resolve("m").resolve(EmbeddedMetadataStore.FILE_NAME)).isRegularFile();
  }

  @Test
  void dataRevisionsAndHistorySurviveCloseAndReopen() {
    long first;
    long second;
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      first = put(store, "/k/a", "1");
      second = put(store, "/k/a", "2");
      put(store, "/k/b", "b");
      store.commit(Txn.builder().delete("/k/b").build());
    }
    try (EmbeddedMetadataStore reopened = EmbeddedMetadataStore.open(directory)) {
      long current = reopened.currentRevision();
      assertThat(current).isEqualTo(second + 2);
      KeyValue a = reopened.get("/k/a").orElseThrow();
      assertThat(a.value()).isEqualTo(bytes("2"));
      assertThat(a.createRevision()).isEqualTo(first);
      assertThat(a.modRevision()).isEqualTo(second);
      assertThat(a.version()).isEqualTo(2);
      assertThat(reopened.get("/k/b")).isEmpty();
      assertThat(put(reopened, "/k/c", "c")).isEqualTo(current + 1);

      RecordingListener listener = new RecordingListener();
      try (Watch ignored = reopened.watch("/k/", first, listener)) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 5);
      }
      assertThat(listener.events())
          .extracting(WatchEvent::type, WatchEvent::key, WatchEvent::modRevision)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.PUT, "/k/a", first),
              org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.PUT, "/k/a", second),
              org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.PUT, "/k/b", second + 1),
              org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.DELETE, "/k/b", second + 2),
              org.assertj.core.groups.Tuple.tuple(WatchEvent.Type.PUT, "/k/c", current + 1));
    }
  }

  @Test
  void compactionSurvivesReopen() {
    long third;
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      put(store, "/k/1", "1");
      put(store, "/k/2", "2");
      third = put(store, "/k/3", "3");
      store.compact(third);
    }
    try (EmbeddedMetadataStore reopened = EmbeddedMetadataStore.open(directory)) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = reopened.watch("/k/", 1, listener)) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.compactedAt() == third);
      }
      assertThatThrownBy(() -> reopened.compact(third + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void listenersRunOnTheStoresThreadsNotTheWriters() {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = store.watch("/k/", 0, listener)) {
        put(store, "/k/1", "1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 1);
      }
      assertThat(listener.threads())
          .allSatisfy(name -> assertThat(name).startsWith("agora-metadata-watch-"));
    }
  }

  @Test
  void aSlowListenerDoesNotHoldUpWriters() throws Exception {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      RecordingListener blocked = blockingListener(release);
      try (Watch ignored = store.watch("/k/", 0, blocked)) {
        for (int i = 0; i < 50; i++) {
          put(store, "/k/" + i, "v");
        }
        assertThat(store.currentRevision()).isEqualTo(50);
        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> blocked.events().size() == 50);
      }
    }
  }

  @Test
  void aListenerThatThrowsEndsItsWatchWithAnError() {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      AtomicReference<Throwable> error = new AtomicReference<>();
      WatchListener failing =
          new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
              throw new IllegalStateException("listener bug");
            }

            @Override
            public void onCompacted(long compactRevision) {}

            @Override
            public void onError(Throwable failure) {
              error.set(failure);
            }
          };
      RecordingListener control = new RecordingListener();
      try (Watch a = store.watch("/k/", 0, failing);
          Watch b = store.watch("/k/", 0, control)) {
        put(store, "/k/1", "1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> error.get() != null);
        put(store, "/k/2", "2");
        await().atMost(10, TimeUnit.SECONDS).until(() -> control.events().size() == 2);
      }
      assertThat(error.get()).hasMessage("listener bug");
    }
  }

  @Test
  void aSecondOpenOfTheSameFileIsRefused() {
    try (EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory)) {
      assertThatThrownBy(() -> EmbeddedMetadataStore.open(directory))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(EmbeddedMetadataStore.FILE_NAME);
      put(store, "/k", "still usable");
    }
  }

  @Test
  void aClosedStoreRefusesCalls() {
    EmbeddedMetadataStore store = EmbeddedMetadataStore.open(directory);
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get("/k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> put(store, "/k", "v")).isInstanceOf(IllegalStateException.class);
    assertThat(Files.exists(directory.resolve(EmbeddedMetadataStore.FILE_NAME))).isTrue();
  }

  private static RecordingListener blockingListener(java.util.concurrent.CountDownLatch release) {
    return new RecordingListener() {
      @Override
      public void onEvent(WatchEvent event) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.onEvent(event);
      }
    };
  }
}
