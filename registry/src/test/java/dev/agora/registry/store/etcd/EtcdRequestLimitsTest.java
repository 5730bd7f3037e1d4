package dev.agora.registry.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.Txn;
import org.junit.jupiter.api.Test;

class EtcdRequestLimitsTest {
  private final EtcdKeys keys = new EtcdKeys("/ns/");
  private final EtcdRequestLimits limits =
      new EtcdRequestLimits(EtcdConfig.defaults().withRequestLimits(4096, 4), keys);

  private static Txn writes(int count) {
    Txn.Builder txn = Txn.builder();
    for (int i = 0; i < count; i++) {
      txn.ifAbsent("/k" + i).put("/k" + i, new byte[] {1});
    }
    return txn.build();
  }

  @Test
  void transactionsUpToTheOperationLimitPass() {
    limits.check(writes(4));
  }

  @Test
  void tooManyWritesOrComparesAreRefused() {
    assertThatThrownBy(() -> limits.check(writes(5)))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
              assertThat(e.getMessage()).contains("5 writes", "limit of 4", "--max-txn-ops");
              assertThat(e.metadata()).containsEntry("limit", "max_txn_ops");
            });
    Txn compares =
        Txn.builder()
            .ifAbsent("/a")
            .ifAbsent("/b")
            .ifAbsent("/c")
            .ifAbsent("/d")
            .ifAbsent("/e")
            .put("/a", new byte[0])
            .build();
    assertThatThrownBy(() -> limits.check(compares)).isInstanceOf(AgoraException.class);
    limits.check(writes(1));
  }

  @Test
  void theSizeCountsKeysWithTheNamespaceValuesAndTheEnvelope() {
    Txn empty = Txn.builder().build();
    assertThat(limits.requestBytes(empty)).isEqualTo(EtcdRequestLimits.ENVELOPE_BYTES);

    Txn put = Txn.builder().put("/k", new byte[100]).build();
    // success op: tag + length + RequestOp{tag + length + PutRequest{key "/ns//k", value 100}}.
    long putRequest = (1 + 1 + 6) + (1 + 1 + 100);
    long requestOp = 1 + 1 + putRequest;
    assertThat(limits.requestBytes(put))
        .isEqualTo(1 + 1 + requestOp + EtcdRequestLimits.ENVELOPE_BYTES);
  }

  @Test
  void aTransactionOverTheSizeLimitIsRefusedAndOneAtItPasses() {
    int fits = 4096;
    while (limits.requestBytes(Txn.builder().put("/big", new byte[fits]).build()) > 4096) {
      fits--;
    }
    Txn atLimit = Txn.builder().put("/big", new byte[fits]).build();
    assertThat(limits.requestBytes(atLimit)).isEqualTo(4096);
    limits.check(atLimit);

    Txn over = Txn.builder().put("/big", new byte[fits + 1]).build();
    assertThatThrownBy(() -> limits.check(over))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
              assertThat(e.getMessage()).contains("4097 bytes", "4096", "--max-request-bytes");
            });
  }
}
