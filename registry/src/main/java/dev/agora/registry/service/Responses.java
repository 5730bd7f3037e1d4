package dev.agora.registry.service;

import dev.agora.common.error.ErrorStatus;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Answers a unary call with the action's result, or with its failure mapped to a status. */
final class Responses {

  private Responses() {}

  static <T> void respond(StreamObserver<T> responses, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
      return;
    }
    responses.onNext(result);
    responses.onCompleted();
  }
}
