package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs ONNX models with ONNX Runtime on the CPU. One environment serves every session this runtime
 * opens; each session gets the configured intra-op thread count and graph optimization level.
 */
public final class OnnxModelRuntime implements ModelRuntime {
  private final OrtEnvironment environment;
  private final int intraOpThreads;
  private final OptLevel optimizationLevel;

  /**
   * A runtime whose sessions use {@code intraOpThreads} threads each (0 lets ONNX Runtime decide)
   * and the optimization level named {@code optimizationLevel}: {@code none}, {@code basic}, {@code
   * extended} or {@code all}.
   */
  public OnnxModelRuntime(int intraOpThreads, String optimizationLevel) {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must not be negative");
    }
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalStateException("Agora serves tensors on little-endian machines only");
    }
    this.intraOpThreads = intraOpThreads;
    this.optimizationLevel = parseLevel(optimizationLevel);
    this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
  }

  /** Whether {@code name} is an optimization level this runtime understands. */
  public static boolean isOptimizationLevel(String name) {
    try {
      parseLevel(name);
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  @Override
  public LoadedModel load(Path artifact) {
    SessionOptions options = new SessionOptions();
    OrtSession session = null;
    try {
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      options.setOptimizationLevel(optimizationLevel);
      session = environment.createSession(artifact.toString(), options);
      ModelSignature signature =
          new ModelSignature(
              tensors(session.getInputInfo(), true), tensors(session.getOutputInfo(), false));
      return new OnnxLoadedModel(environment, session, options, signature);
    } catch (OrtException | AgoraException failure) {
      closeQuietly(session);
      options.close();
      throw failure instanceof AgoraException agora
          ? agora
          : invalid("ONNX Runtime cannot load the model: " + failure.getMessage());
    }
  }

  @Override
  public void close() {
    environment.close();
  }

  private static List<TensorSignature> tensors(Map<String, NodeInfo> nodes, boolean inputs) {
    List<TensorSignature> tensors = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes.values()) {
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw invalid("'" + node.getName() + "' is not a tensor; Agora serves tensors only");
      }
      Datatype datatype = OnnxTypes.datatype(info.onnxType);
      if (datatype == null || (inputs && OnnxTypes.inputType(datatype) == null)) {
        throw invalid(
            "tensor '" + node.getName() + "' has element type " + info.onnxType + ", unsupported");
      }
      long[] shape = info.getShape();
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Math.max(shape[i], -1);
      }
      tensors.add(new TensorSignature(node.getName(), datatype, shape));
    }
    return tensors;
  }

  private static OptLevel parseLevel(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "none" -> OptLevel.NO_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      case "all" -> OptLevel.ALL_OPT;
      default ->
          throw new IllegalArgumentException(
              "optimization level must be none, basic, extended or all, not '" + name + "'");
    };
  }

  private static AgoraException invalid(String message) {
    return AgoraException.of(ErrorReason.INVALID_ARTIFACT, message);
  }

  private static void closeQuietly(OrtSession session) {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (OrtException ignored) {
      // The session failed to open fully; the load failure is what the caller needs to see.
    }
  }
}
