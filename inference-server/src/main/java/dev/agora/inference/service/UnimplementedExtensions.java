package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.CudaSharedMemoryRegisterRequest;
import dev.agora.proto.inference.CudaSharedMemoryRegisterResponse;
import dev.agora.proto.inference.CudaSharedMemoryStatusRequest;
import dev.agora.proto.inference.CudaSharedMemoryStatusResponse;
import dev.agora.proto.inference.CudaSharedMemoryUnregisterRequest;
import dev.agora.proto.inference.CudaSharedMemoryUnregisterResponse;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.LogSettingsRequest;
import dev.agora.proto.inference.LogSettingsResponse;
import dev.agora.proto.inference.SystemSharedMemoryRegisterRequest;
import dev.agora.proto.inference.SystemSharedMemoryRegisterResponse;
import dev.agora.proto.inference.SystemSharedMemoryStatusRequest;
import dev.agora.proto.inference.SystemSharedMemoryStatusResponse;
import dev.agora.proto.inference.SystemSharedMemoryUnregisterRequest;
import dev.agora.proto.inference.SystemSharedMemoryUnregisterResponse;
import dev.agora.proto.inference.TraceSettingRequest;
import dev.agora.proto.inference.TraceSettingResponse;
import io.grpc.stub.StreamObserver;

/**
 * The Triton extensions Agora does not implement (system and CUDA shared memory, trace settings,
 * log settings), each answered {@code UNIMPLEMENTED} with a sentence saying what to do instead.
 * {@link InferenceService} extends this with everything Agora serves.
 */
abstract class UnimplementedExtensions
    extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  @Override
  public void systemSharedMemoryStatus(
      SystemSharedMemoryStatusRequest request,
      StreamObserver<SystemSharedMemoryStatusResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void systemSharedMemoryRegister(
      SystemSharedMemoryRegisterRequest request,
      StreamObserver<SystemSharedMemoryRegisterResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void systemSharedMemoryUnregister(
      SystemSharedMemoryUnregisterRequest request,
      StreamObserver<SystemSharedMemoryUnregisterResponse> observer) {
    unsupported(observer, SYSTEM_SHM);
  }

  @Override
  public void cudaSharedMemoryStatus(
      CudaSharedMemoryStatusRequest request,
      StreamObserver<CudaSharedMemoryStatusResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void cudaSharedMemoryRegister(
      CudaSharedMemoryRegisterRequest request,
      StreamObserver<CudaSharedMemoryRegisterResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void cudaSharedMemoryUnregister(
      CudaSharedMemoryUnregisterRequest request,
      StreamObserver<CudaSharedMemoryUnregisterResponse> observer) {
    unsupported(observer, CUDA_SHM);
  }

  @Override
  public void traceSetting(
      TraceSettingRequest request, StreamObserver<TraceSettingResponse> observer) {
    unsupported(observer, "Agora does not support Triton trace settings.");
  }

  @Override
  public void logSettings(
      LogSettingsRequest request, StreamObserver<LogSettingsResponse> observer) {
    unsupported(observer, "Agora does not support changing log settings over gRPC.");
  }

  private static final String SYSTEM_SHM =
      "Agora does not support system shared memory; send tensors in raw_input_contents.";
  private static final String CUDA_SHM =
      "Agora does not support CUDA shared memory; send tensors in raw_input_contents.";

  private static void unsupported(StreamObserver<?> observer, String message) {
    observer.onError(
        ErrorStatus.toStatusException(AgoraException.of(ErrorReason.NOT_IMPLEMENTED, message)));
  }
}
