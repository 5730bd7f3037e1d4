package dev.agora.ratelimit.usage;

import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Meters the inference calls of {@code inference.GRPCInferenceService} into a {@link UsageMeter}: a
 * {@code ModelInfer} call counts once when it closes (failed unless OK); every request of a {@code
 * ModelStreamInfer} stream counts once when its answer leaves (failed when the answer carries an
 * {@code error_message}, as the stream answers in request order), and requests still unanswered
 * when the stream closes count as failed. The model and version are those the request names. Other
 * methods pass through untouched.
 */
final class UsageMeterInterceptor implements ServerInterceptor {
  private static final String MODEL_INFER =
      GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();
  private static final String MODEL_STREAM_INFER =
      GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName();

  private final UsageMeter meter;

  UsageMeterInterceptor(UsageMeter meter) {
    this.meter = meter;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    boolean unary = MODEL_INFER.equals(method);
    if (!unary && !MODEL_STREAM_INFER.equals(method)) {
      return next.startCall(call, headers);
    }
    Caller caller = CallerContext.current().orElse(null);
    if (caller == null || caller.team().isEmpty()) {
      return next.startCall(call, headers);
    }
    if (unary) {
      MeteredUnaryCall<Q, R> metered = new MeteredUnaryCall<>(call, caller);
      return new RequestListener<>(next.startCall(metered, headers), metered);
    }
    MeteredStreamCall<Q, R> metered = new MeteredStreamCall<>(call, caller);
    return new RequestListener<>(next.startCall(metered, headers), metered);
  }

  /** A metered call, told what each of its requests asks for. */
  private interface RequestObserver {
    void requested(String model, String version);
  }

  /** What a stream request asked for. */
  private record Requested(String model, String version) {}

  /** Hands each inference request to the metered call before the service sees it. */
  private static final class RequestListener<Q> extends SimpleForwardingServerCallListener<Q> {
    private final RequestObserver call;

    RequestListener(ServerCall.Listener<Q> delegate, RequestObserver call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(Q message) {
      if (message instanceof ModelInferRequest request) {
        call.requested(request.getModelName(), request.getModelVersion());
      }
      super.onMessage(message);
    }
  }

  /** A {@code ModelInfer} call: counted once, when it closes, if its request arrived. */
  private final class MeteredUnaryCall<Q, R> extends SimpleForwardingServerCall<Q, R>
      implements RequestObserver {
    private final Caller caller;
    private String version;
    // Written after version: reading it non-null makes version visible.
    private volatile String model;

    MeteredUnaryCall(ServerCall<Q, R> delegate, Caller caller) {
      super(delegate);
      this.caller = caller;
    }

    @Override
    public void requested(String model, String version) {
      this.version = version;
      this.model = model;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      String asked = model;
      if (asked != null) {
        meter.record(caller, asked, version, !status.isOk());
      }
      super.close(status, trailers);
    }
  }

  /** A {@code ModelStreamInfer} call: each request counted when its answer (in order) leaves. */
  private final class MeteredStreamCall<Q, R> extends SimpleForwardingServerCall<Q, R>
      implements RequestObserver {
    private final Caller caller;
    private final Queue<Requested> unanswered = new ConcurrentLinkedQueue<>();

    MeteredStreamCall(ServerCall<Q, R> delegate, Caller caller) {
      super(delegate);
      this.caller = caller;
    }

    @Override
    public void requested(String model, String version) {
      unanswered.add(new Requested(model, version));
    }

    @Override
    public void sendMessage(R message) {
      if (message instanceof ModelStreamInferResponse response) {
        Requested asked = unanswered.poll();
        if (asked != null) {
          meter.record(
              caller, asked.model(), asked.version(), !response.getErrorMessage().isEmpty());
        }
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      for (Requested asked = unanswered.poll(); asked != null; asked = unanswered.poll()) {
        meter.record(caller, asked.model(), asked.version(), true);
      }
      super.close(status, trailers);
    }
  }
}
