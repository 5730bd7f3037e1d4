package dev.agora.inference.service;

import dev.agora.inference.catalog.Deprecation;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferResponse;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.BiFunction;

/**
 * Puts a deprecated version's notice into the response headers of {@code ModelInfer}: {@value
 * #WARNING_HEADER} (a sentence), {@value #SUNSET_HEADER} (RFC 3339, when a sunset was named) and
 * {@value #SUCCESSOR_HEADER}. Which version answered is known only from the answer, so the headers
 * gRPC would send first are held until the response message comes, which names the model and
 * version; the notice is looked up then. No per-call context is created.
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

  private final BiFunction<String, String, Deprecation> deprecations;

  /**
   * An interceptor.
   *
   * @param deprecations the notice of a model version, or null when it is not deprecated
   */
  public DeprecationHeaders(BiFunction<String, String, Deprecation> deprecations) {
    this.deprecations = deprecations;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!GRPCInferenceServiceGrpc.getModelInferMethod()
        .getFullMethodName()
        .equals(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    return next.startCall(new WithNotice<>(call), headers);
  }

  private void writeNotice(Object message, Metadata headers) {
    if (!(message instanceof ModelInferResponse response)) {
      return;
    }
    Deprecation deprecation =
        deprecations.apply(response.getModelName(), response.getModelVersion());
    if (deprecation == null) {
      return;
    }
    headers.put(WARNING, deprecation.warning());
    deprecation.sunsetTime().ifPresent(sunset -> headers.put(SUNSET, sunset.toString()));
    if (!deprecation.successorVersion().isEmpty()) {
      headers.put(SUCCESSOR, deprecation.successorVersion());
    }
  }

  /** Holds the response headers until the message shows which version answered. */
  private final class WithNotice<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private Metadata heldHeaders;

    WithNotice(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public void sendHeaders(Metadata responseHeaders) {
      heldHeaders = responseHeaders;
    }

    @Override
    public void sendMessage(R message) {
      if (heldHeaders != null) {
        Metadata responseHeaders = heldHeaders;
        heldHeaders = null;
        writeNotice(message, responseHeaders);
        super.sendHeaders(responseHeaders);
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (heldHeaders != null) {
        Metadata responseHeaders = heldHeaders;
        heldHeaders = null;
        super.sendHeaders(responseHeaders);
      }
      super.close(status, trailers);
    }
  }
}
