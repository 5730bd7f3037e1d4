package dev.agora.testing.inference;

import dev.agora.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one {@code ModelStreamInfer} call to completion, for tests. */
public final class ModelStreams {
  private static final long WAIT_SECONDS = 30;

  private ModelStreams() {}

  /**
   * Sends {@code requests} on one stream, half-closes it, and returns every answer in the order it
   * arrived once the server completes the stream.
   *
   * @throws ExecutionException when the server fails the stream
   * @throws TimeoutException when the stream is not complete within 30 seconds
   */
  public static List<ModelStreamInferResponse> exchange(
      GRPCInferenceServiceStub stub, List<ModelInferRequest> requests)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> upstream =
        stub.modelStreamInfer(
            new StreamObserver<>() {
              @Override
              public void onNext(ModelStreamInferResponse answer) {
                answers.add(answer);
              }

              @Override
              public void onError(Throwable failure) {
                done.completeExceptionally(failure);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    requests.forEach(upstream::onNext);
    upstream.onCompleted();
    done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    return answers;
  }
}
