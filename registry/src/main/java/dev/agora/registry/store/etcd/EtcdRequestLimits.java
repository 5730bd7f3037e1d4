package dev.agora.registry.store.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.Txn;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;

/**
 * Checks a transaction against etcd's limits before it is sent, so that an oversized change fails
 * with a sentence naming the limit instead of etcd's terse refusal. The size is that of the {@code
 * TxnRequest} message etcd receives, plus {@value #ENVELOPE_BYTES} bytes for the envelope etcd
 * wraps it in before comparing with {@code --max-request-bytes}.
 */
final class EtcdRequestLimits {
  /** etcd adds a request header and a field tag around the transaction; this bounds both. */
  static final int ENVELOPE_BYTES = 32;

  private final long maxRequestBytes;
  private final int maxTxnOps;
  private final EtcdKeys keys;

  EtcdRequestLimits(EtcdConfig config, EtcdKeys keys) {
    this.maxRequestBytes = config.maxRequestBytes();
    this.maxTxnOps = config.maxTxnOps();
    this.keys = keys;
  }

  /**
   * Throws {@code LIMIT_EXCEEDED} when the transaction has too many compares or writes, or is too
   * large.
   */
  void check(Txn txn) {
    int ops = Math.max(txn.compares().size(), txn.operations().size());
    if (ops > maxTxnOps) {
      throw AgoraException.builder(
              ErrorReason.LIMIT_EXCEEDED,
              "A metadata change of "
                  + txn.compares().size()
                  + " conditions and "
                  + txn.operations().size()
                  + " writes exceeds etcd's limit of "
                  + maxTxnOps
                  + " operations per transaction (--max-txn-ops).")
          .metadata("limit", "max_txn_ops")
          .metadata("max", Integer.toString(maxTxnOps))
          .build();
    }
    long bytes = requestBytes(txn);
    if (bytes > maxRequestBytes) {
      throw AgoraException.builder(
              ErrorReason.LIMIT_EXCEEDED,
              "A metadata change of "
                  + bytes
                  + " bytes exceeds etcd's request limit of "
                  + maxRequestBytes
                  + " bytes (--max-request-bytes).")
          .metadata("limit", "max_request_bytes")
          .metadata("max", Long.toString(maxRequestBytes))
          .build();
    }
  }

  /** The bytes etcd compares with its request limit for this transaction. */
  long requestBytes(Txn txn) {
    TxnRequest.Builder request = TxnRequest.newBuilder();
    for (Txn.Compare compare : txn.compares()) {
      Compare.Builder condition = Compare.newBuilder().setKey(key(compare.key()));
      if (compare.expectedModRevision() == 0) {
        condition.setTarget(Compare.CompareTarget.VERSION).setVersion(0);
      } else {
        condition
            .setTarget(Compare.CompareTarget.MOD)
            .setModRevision(compare.expectedModRevision());
      }
      request.addCompare(condition);
    }
    for (Txn.Op op : txn.operations()) {
      request.addSuccess(requestOp(op));
    }
    return request.build().getSerializedSize() + (long) ENVELOPE_BYTES;
  }

  private RequestOp requestOp(Txn.Op op) {
    if (op instanceof Txn.Put put) {
      return RequestOp.newBuilder()
          .setRequestPut(
              PutRequest.newBuilder()
                  .setKey(key(put.key()))
                  .setValue(UnsafeByteOperations.unsafeWrap(put.value())))
          .build();
    }
    return RequestOp.newBuilder()
        .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key(op.key())))
        .build();
  }

  private ByteString key(String key) {
    return UnsafeByteOperations.unsafeWrap(keys.key(key).getBytes());
  }
}
