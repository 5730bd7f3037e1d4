package dev.agora.inference.service;

import dev.agora.inference.catalog.Deprecation;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts a deprecated version's notice into the response headers of {@code ModelInfer}: {@value
 * #WARNING_HEADER} (a sentence), {@value #SUNSET_HEADER} (RFC 3339, when a sunset was named) and
 * {@value #SUCCESSOR_HEADER}. The service learns which version answered only when the answer is
 * ready, so it leaves the notice in the call's {@link Slot}, and this interceptor adds it to the
 * headers, which gRPC sends just before the first message.
 */
public final class DeprecationHeaders implements ServerInterceptor {
  /** The deprecation warning sentence. */
  public static final String WARNING_HEADER = "agora-deprecation";

  /** When the version is due to be retired, RFC 3339. */
  public static final String SUNSET_HEADER = "agora-sunset";

  /** The version to move to. */
  public static final String SUCCESSOR_HEADER = "agora-successor-version";

  private static final Metadata.Key<String> WARNING =
      Metadata.Key.of(WARNING_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SUNSET =
      Metadata.Key.of(SUNSET_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SUCCESSOR =
      Metadata.Key.of(SUCCESSOR_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Slot> SLOT = Context.key("agora-deprecation-slot");

  /** Where a call's deprecation notice waits for the headers. */
  static final class Slot {
    private volatile Deprecation notice;

    void set(Deprecation deprecation) {
      this.notice = deprecation;
    }

    void writeTo(Metadata headers) {
      Deprecation deprecation = notice;
      if (deprecation == null) {
        return;
      }
      headers.put(WARNING, deprecation.warning());
      deprecation.sunsetTime().ifPresent(sunset -> headers.put(SUNSET, sunset.toString()));
      if (!deprecation.successorVersion().isEmpty()) {
        headers.put(SUCCESSOR, deprecation.successorVersion());
      }
    }
  }

  /** The slot of the current call, or null when the call is not a {@code ModelInfer}. */
  static Slot currentSlot() {
    return SLOT.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!GRPCInferenceServiceGrpc.getModelInferMethod()
        .getFullMethodName()
        .equals(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    Slot slot = new Slot();
    ServerCall<Q, R> withNotice =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            slot.writeTo(responseHeaders);
            super.sendHeaders(responseHeaders);
          }
        };
    return Contexts.interceptCall(
        Context.current().withValue(SLOT, slot), withNotice, headers, next);
  }
}
