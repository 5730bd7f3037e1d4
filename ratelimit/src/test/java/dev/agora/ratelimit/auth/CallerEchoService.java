package dev.agora.ratelimit.auth;

import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.Caller;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.ratelimit.identity.CallerContext;
import dev.agora.ratelimit.identity.CallerProtos;
import io.grpc.stub.StreamObserver;

/** Answers WhoAmI with the caller the interceptors put into the context. */
final class CallerEchoService extends AccessServiceGrpc.AccessServiceImplBase {
  @Override
  public void whoAmI(WhoAmIRequest request, StreamObserver<Caller> responses) {
    responses.onNext(CallerProtos.toProto(CallerContext.require()));
    responses.onCompleted();
  }
}
