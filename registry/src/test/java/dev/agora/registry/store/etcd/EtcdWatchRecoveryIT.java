package dev.agora.registry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.RecordingListener;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.testing.etcd.EtcdExtension;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches across an etcd crash. The watching store's reconnection thread is held behind a gate
 * while etcd is killed, restarted and written to, so the watch reconnects only after the changes it
 * missed (and, in one test, after they were compacted away).
 */
// Watches are held open by try-with-resources blocks that never name them.
@SuppressWarnings("try")
class EtcdWatchRecoveryIT {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private final ScheduledThreadPoolExecutor reconnects = new ScheduledThreadPoolExecutor(1);
  private final CountDownLatch gate = new CountDownLatch(1);
  private EtcdMetadataStore watched;
  private EtcdMetadataStore writer;

  @BeforeEach
  void connect() {
    EtcdConfig config = EtcdStores.patient(etcd);
    watched = EtcdMetadataStore.connect(config, reconnects);
    writer = EtcdMetadataStore.connect(config);
  }

  @AfterEach
  void close() {
    gate.countDown();
    writer.close();
    watched.close();
  }

  @Test
  void aWatchResumesAfterTheLastDeliveredRevisionWithoutLossOrRepeats() {
    long first = put("/w/1", "one");
    RecordingListener listener = new RecordingListener();
    try (Watch ignored = watched.watch("/w/", first, listener)) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 1);

      crashWhileTheWatchCannotReconnect();
      long second = put("/w/2", "two");
      long third = writer.commit(Txn.builder().delete("/w/1").build()).revision();
      gate.countDown();

      await().atMost(20, TimeUnit.SECONDS).until(() -> listener.events().size() == 3);
      long fourth = put("/w/3", "three");
      await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 4);
      assertThat(listener.events())
          .containsExactly(
              new WatchEvent(WatchEvent.Type.PUT, "/w/1", bytes("one"), first),
              new WatchEvent(WatchEvent.Type.PUT, "/w/2", bytes("two"), second),
              new WatchEvent(WatchEvent.Type.DELETE, "/w/1", new byte[0], third),
              new WatchEvent(WatchEvent.Type.PUT, "/w/3", bytes("three"), fourth));
      assertThat(listener.errors()).isEmpty();
      assertThat(listener.compactedAt()).isEqualTo(-1);
    }
  }

  @Test
  void historyCompactedWhileDisconnectedEndsTheWatchAndARelistThenRewatchCarriesOn() {
    long first = put("/c/1", "one");
    RecordingListener listener = new RecordingListener();
    try (Watch ignored = watched.watch("/c/", first, listener)) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events().size() == 1);

      crashWhileTheWatchCannotReconnect();
      put("/c/2", "two");
      long compactedAt = put("/c/3", "three");
      writer.compact(compactedAt);
      gate.countDown();

      await().atMost(20, TimeUnit.SECONDS).until(() -> listener.compactedAt() == compactedAt);
      assertThat(listener.keys()).containsExactly("/c/1");
      assertThat(listener.errors()).isEmpty();
    }

    RangeResult relisted = watched.range("/c/", null, 100);
    assertThat(relisted.kvs()).hasSize(3);
    RecordingListener again = new RecordingListener();
    try (Watch ignored = watched.watch("/c/", relisted.revision() + 1, again)) {
      long fourth = put("/c/4", "four");
      await().atMost(10, TimeUnit.SECONDS).until(() -> again.events().size() == 1);
      assertThat(again.events())
          .containsExactly(new WatchEvent(WatchEvent.Type.PUT, "/c/4", bytes("four"), fourth));
    }
  }

  /** Holds the reconnection thread, kills etcd, waits for the watch to notice, restarts etcd. */
  private void crashWhileTheWatchCannotReconnect() {
    reconnects.execute(this::awaitGate);
    etcd.process().kill();
    // The broken watcher's close and the reconnection both queue behind the gate.
    await().atMost(10, TimeUnit.SECONDS).until(() -> reconnects.getQueue().size() >= 2);
    etcd.process().restart();
  }

  private void awaitGate() {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long put(String key, String value) {
    return writer.commit(Txn.builder().put(key, bytes(value)).build()).revision();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
