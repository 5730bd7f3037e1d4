package dev.agora.ratelimit.auth;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.VerifyApiKeyRequest;
import dev.agora.proto.access.v1.VerifyApiKeyResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry's VerifyApiKey answering from a map, counting calls. */
final class FakeAccessService extends AccessServiceGrpc.AccessServiceImplBase {
  private final Map<String, VerifyApiKeyResponse> answers = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean down;

  void answer(String token, VerifyApiKeyResponse response) {
    answers.put(token, response);
  }

  void down(boolean down) {
    this.down = down;
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void verifyApiKey(
      VerifyApiKeyRequest request, StreamObserver<VerifyApiKeyResponse> responses) {
    calls.incrementAndGet();
    if (down) {
      responses.onError(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
      return;
    }
    responses.onNext(
        answers.getOrDefault(
            request.getToken(),
            VerifyApiKeyResponse.newBuilder()
                .setOutcome(VerifyApiKeyResponse.Outcome.OUTCOME_UNKNOWN)
                .build()));
    responses.onCompleted();
  }
}
