package dev.agora.app.http;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelConfigRequest;
import dev.agora.proto.inference.ModelConfigResponse;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelMetadataRequest;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelReadyRequest;
import dev.agora.proto.inference.ModelReadyResponse;
import dev.agora.proto.inference.ModelStatisticsRequest;
import dev.agora.proto.inference.ModelStatisticsResponse;
import dev.agora.proto.inference.RepositoryIndexRequest;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.RepositoryModelLoadRequest;
import dev.agora.proto.inference.RepositoryModelLoadResponse;
import dev.agora.proto.inference.RepositoryModelUnloadRequest;
import dev.agora.proto.inference.RepositoryModelUnloadResponse;
import dev.agora.proto.inference.ServerMetadataRequest;
import dev.agora.proto.inference.ServerMetadataResponse;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** The gRPC calls the REST gateway makes, with the caller's credentials forwarded. */
final class RestCalls {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub;

  RestCalls(Channel channel, int maxMessageBytes) {
    this.stub =
        GRPCInferenceServiceGrpc.newFutureStub(channel)
            .withMaxInboundMessageSize(maxMessageBytes)
            .withMaxOutboundMessageSize(maxMessageBytes);
  }

  /** The calls made on behalf of a caller presenting {@code authorization} (may be null). */
  Bound bind(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      return new Bound(stub);
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, authorization);
    return new Bound(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
  }

  byte[] statisticsJson(ModelStatisticsResponse statistics) {
    try {
      return JsonFormat.printer()
          .preservingProtoFieldNames()
          .print(statistics)
          .getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("statistics are not printable as JSON", e);
    }
  }

  /** One caller's view of the inference service. */
  record Bound(GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub) {
    ListenableFuture<ServerMetadataResponse> serverMetadata() {
      return stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
    }

    ListenableFuture<ModelMetadataResponse> modelMetadata(String model, String version) {
      return stub.modelMetadata(
          ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build());
    }

    ListenableFuture<ModelConfigResponse> modelConfig(String model, String version) {
      return stub.modelConfig(
          ModelConfigRequest.newBuilder().setName(model).setVersion(version).build());
    }

    ListenableFuture<ModelReadyResponse> modelReady(String model, String version) {
      return stub.modelReady(
          ModelReadyRequest.newBuilder().setName(model).setVersion(version).build());
    }

    ListenableFuture<ModelStatisticsResponse> statistics(String model, String version) {
      return stub.modelStatistics(
          ModelStatisticsRequest.newBuilder().setName(model).setVersion(version).build());
    }

    /**
     * Runs an inference; the response headers (a deprecated version's notice, see {@code
     * DeprecationHeaders}) land in {@code headers} before the future completes.
     */
    ListenableFuture<ModelInferResponse> infer(
        ModelInferRequest request, AtomicReference<Metadata> headers) {
      return stub.withInterceptors(
              MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
          .modelInfer(request);
    }

    ListenableFuture<RepositoryIndexResponse> repositoryIndex() {
      return stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
    }

    ListenableFuture<RepositoryModelLoadResponse> load(String model) {
      return stub.repositoryModelLoad(
          RepositoryModelLoadRequest.newBuilder().setModelName(model).build());
    }

    ListenableFuture<RepositoryModelUnloadResponse> unload(String model) {
      return stub.repositoryModelUnload(
          RepositoryModelUnloadRequest.newBuilder().setModelName(model).build());
    }
  }
}
