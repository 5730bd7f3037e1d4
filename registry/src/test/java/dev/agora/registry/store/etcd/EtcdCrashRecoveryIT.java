package dev.agora.registry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.RecordingListener;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.testing.etcd.EtcdExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** etcd is killed with SIGKILL while writers run; nothing acknowledged may be lost. */
class EtcdCrashRecoveryIT {
  private static final int WRITERS = 4;
  private static final int KEYS_PER_WRITER = 100;

  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private final List<String> acknowledged = new CopyOnWriteArrayList<>();
  private final List<AgoraException> failures = new CopyOnWriteArrayList<>();
  private int atKill;

  @Test
  void killingEtcdMidRunLosesNoAcknowledgedWriteAndTheStoreRecovers() throws Exception {
    try (EtcdMetadataStore store = EtcdMetadataStore.connect(EtcdStores.patient(etcd))) {
      RecordingListener listener = new RecordingListener();
      try (Watch watch = store.watch("/crash/", 0, listener)) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
          List<Future<?>> runs = new ArrayList<>();
          for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            runs.add(writers.submit(() -> writeKeys(store, writer)));
          }
          await().atMost(30, TimeUnit.SECONDS).until(() -> acknowledged.size() >= 40);
          etcd.process().kill();
          atKill = acknowledged.size();
          etcd.process().restart();
          for (Future<?> run : runs) {
            run.get(90, TimeUnit.SECONDS);
          }
        } finally {
          writers.shutdownNow();
        }

        assertThat(atKill).as("killed mid-run").isLessThan(WRITERS * KEYS_PER_WRITER / 2);
        assertThat(acknowledged.size())
            .as("writes went on after the restart")
            .isGreaterThan(atKill);
        for (String key : acknowledged) {
          KeyValue kv = store.get(key).orElseThrow(() -> new AssertionError(key + " was lost"));
          assertThat(kv.value()).isEqualTo(key.getBytes(UTF_8));
        }
        assertThat(failures)
            .as("only writes in flight at the kill may end with an unknown outcome")
            .hasSizeLessThanOrEqualTo(WRITERS)
            .allSatisfy(e -> assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE));
        assertThat(acknowledged.size() + failures.size()).isEqualTo(WRITERS * KEYS_PER_WRITER);

        long after =
            store.commit(Txn.builder().put("/crash/after", bytes("after")).build()).revision();
        await().atMost(30, TimeUnit.SECONDS).until(() -> listener.keys().contains("/crash/after"));
        assertWatchSawEveryAcknowledgedWriteOnce(listener, after);
      }
    }
  }

  private void writeKeys(EtcdMetadataStore store, int writer) {
    for (int i = 0; i < KEYS_PER_WRITER; i++) {
      String key = String.format("/crash/%d/%03d", writer, i);
      try {
        Txn txn = Txn.builder().ifAbsent(key).put(key, bytes(key)).build();
        if (store.commit(txn).succeeded()) {
          acknowledged.add(key);
        } else {
          // The attempt cut by the kill was applied after all; a retry found the key.
          failures.add(AgoraException.of(ErrorReason.STORE_UNAVAILABLE, key + " compare failed"));
        }
      } catch (AgoraException e) {
        failures.add(e);
      }
    }
  }

  private void assertWatchSawEveryAcknowledgedWriteOnce(RecordingListener listener, long last) {
    List<WatchEvent> events = listener.events();
    assertThat(events).extracting(WatchEvent::modRevision).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(events.size() - 1).modRevision()).isEqualTo(last);
    assertThat(Set.copyOf(listener.keys())).containsAll(acknowledged);
    assertThat(listener.errors()).isEmpty();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
