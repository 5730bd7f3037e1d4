package dev.agora.registry.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.Txn;
import dev.agora.testing.etcd.EtcdExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's limits match a default etcd's, and oversized changes never leave the process. */
class EtcdLimitsIT {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private static Txn puts(String prefix, int count) {
    Txn.Builder txn = Txn.builder();
    for (int i = 0; i < count; i++) {
      txn.put(prefix + i, new byte[] {1});
    }
    return txn.build();
  }

  /** A single put whose request is exactly {@code bytes} long as the limits count it. */
  private static Txn putOfSize(EtcdRequestLimits limits, String key, long bytes) {
    int value = (int) bytes;
    while (limits.requestBytes(Txn.builder().put(key, new byte[value]).build()) > bytes) {
      value--;
    }
    Txn txn = Txn.builder().put(key, new byte[value]).build();
    assertThat(limits.requestBytes(txn)).isEqualTo(bytes);
    return txn;
  }

  @Test
  void etcdAcceptsWhatTheLimitsAllowAndTheStoreRefusesOneMore() {
    EtcdConfig config = EtcdStores.isolated(etcd);
    EtcdRequestLimits limits = new EtcdRequestLimits(config, new EtcdKeys(config.namespace()));
    try (EtcdMetadataStore store = EtcdMetadataStore.connect(config)) {
      assertThat(store.commit(puts("/ops/", EtcdConfig.DEFAULT_MAX_TXN_OPS)).succeeded()).isTrue();
      assertThatThrownBy(() -> store.commit(puts("/more/", EtcdConfig.DEFAULT_MAX_TXN_OPS + 1)))
          .isInstanceOfSatisfying(
              AgoraException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED));
      assertThat(store.get("/more/0")).isEmpty();

      long max = EtcdConfig.DEFAULT_MAX_REQUEST_BYTES;
      assertThat(store.commit(putOfSize(limits, "/big/fits", max)).succeeded()).isTrue();
      assertThatThrownBy(() -> store.commit(putOfSize(limits, "/big/over", max + 1)))
          .isInstanceOfSatisfying(
              AgoraException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
                assertThat(e.getMessage()).contains("--max-request-bytes");
              });
      assertThat(store.get("/big/over")).isEmpty();
      assertThat(store.commit(puts("/good/", 1)).succeeded()).isTrue();
    }
  }

  @Test
  void oversizedChangesAreRefusedBeforeSendingEvenWithEtcdDown() {
    EtcdConfig config = EtcdStores.isolated(etcd).withCallTimeout(Duration.ofSeconds(1));
    try (EtcdMetadataStore store = EtcdMetadataStore.connect(config)) {
      etcd.process().stop();
      try {
        assertThatThrownBy(() -> store.commit(puts("/down/", EtcdConfig.DEFAULT_MAX_TXN_OPS + 1)))
            .isInstanceOfSatisfying(
                AgoraException.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED));
        Txn huge = Txn.builder().put("/down/huge", new byte[2 << 20]).build();
        assertThatThrownBy(() -> store.commit(huge))
            .isInstanceOfSatisfying(
                AgoraException.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED));
        assertThatThrownBy(() -> store.commit(puts("/down/", 1)))
            .isInstanceOfSatisfying(
                AgoraException.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE));
      } finally {
        etcd.process().restart();
      }
    }
    try (EtcdMetadataStore store = EtcdMetadataStore.connect(EtcdStores.patient(etcd))) {
      assertThat(store.commit(puts("/up/", 1)).succeeded()).isTrue();
    }
  }

  @Test
  void etcdsOwnRefusalOfALargerRequestIsALimitToo() {
    EtcdConfig lax = EtcdStores.isolated(etcd).withRequestLimits(4L << 20, 128);
    try (EtcdMetadataStore store = EtcdMetadataStore.connect(lax)) {
      Txn large = Txn.builder().put("/lax/large", new byte[1700 * 1024]).build();
      assertThatThrownBy(() -> store.commit(large))
          .isInstanceOfSatisfying(
              AgoraException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
                assertThat(e.getMessage()).contains("etcd refused");
              });
      assertThat(store.commit(puts("/lax/small", 1)).succeeded()).isTrue();
    }
  }
}
