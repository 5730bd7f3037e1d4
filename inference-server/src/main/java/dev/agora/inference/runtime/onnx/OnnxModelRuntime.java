package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.runtime.SessionSettings;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorBufferPool;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs ONNX models with ONNX Runtime on the CPU. One environment serves every session this runtime
 * opens; each session gets the configured {@link SessionSettings}. Models with unsigned
 * 16/32/64-bit inputs are rewritten by {@link UnsignedInputs} before their session is created,
 * since the Java API cannot feed those types directly.
 */
public final class OnnxModelRuntime implements ModelRuntime {
  private static final int OWN_POOL_BUFFER_BYTES = 1 << 20;
  private static final long OWN_POOL_IDLE_BYTES = 16L << 20;
  private final OrtEnvironment environment;
  private final SessionSettings settings;
  private final OptLevel optimizationLevel;
  private final TensorBufferPool outputBuffers;

  /** A runtime with {@code intraOpThreads} per session and the named optimization level. */
  public OnnxModelRuntime(int intraOpThreads, String optimizationLevel) {
    this(new SessionSettings(intraOpThreads, 1, optimizationLevel, true));
  }

  /** A runtime whose sessions use {@code settings}, with its own pool for pinned outputs. */
  public OnnxModelRuntime(SessionSettings settings) {
    this(settings, new TensorBufferPool(OWN_POOL_BUFFER_BYTES, OWN_POOL_IDLE_BYTES));
  }

  /**
   * A runtime whose sessions use {@code settings} and have ONNX Runtime write outputs into buffers
   * from {@code outputBuffers} (see {@link OnnxLoadedModel}).
   */
  public OnnxModelRuntime(SessionSettings settings, TensorBufferPool outputBuffers) {
    this.outputBuffers = outputBuffers;
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalStateException("Agora serves tensors on little-endian machines only");
    }
    this.settings = settings;
    this.optimizationLevel = parseLevel(settings.optimizationLevel());
    this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
  }

  /** Whether {@code name} is an optimization level this runtime understands. */
  public static boolean isOptimizationLevel(String name) {
    return SessionSettings.isOptimizationLevel(name);
  }

  @Override
  public LoadedModel load(Path artifact) {
    OpenSession opened = open(artifact, null);
    Set<String> unsigned = unsignedInputs(opened.signature());
    if (unsigned.isEmpty()) {
      return opened.toModel(environment, outputBuffers);
    }
    opened.close();
    byte[] rewritten;
    try {
      rewritten = UnsignedInputs.rewrite(Files.readAllBytes(artifact), unsigned);
    } catch (IOException | IllegalArgumentException failure) {
      throw invalid(
          "ONNX Runtime's Java API cannot feed the unsigned inputs "
              + unsigned
              + " and Agora could not rewrite them as signed ones: "
              + failure.getMessage());
    }
    OpenSession reopened = open(null, rewritten);
    // The rewritten session reports the signed types; clients see the model's own signature.
    return new OpenSession(reopened.session(), reopened.options(), opened.signature())
        .toModel(environment, outputBuffers);
  }

  @Override
  public void close() {
    environment.close();
  }

  private record OpenSession(OrtSession session, SessionOptions options, ModelSignature signature) {
    LoadedModel toModel(OrtEnvironment environment, TensorBufferPool outputBuffers) {
      return new OnnxLoadedModel(environment, session, options, signature, outputBuffers);
    }

    void close() {
      closeQuietly(session);
      options.close();
    }
  }

  private OpenSession open(Path artifact, byte[] model) {
    SessionOptions options = new SessionOptions();
    OrtSession session = null;
    try {
      configure(options);
      session =
          artifact != null
              ? environment.createSession(artifact.toString(), options)
              : environment.createSession(model, options);
      ModelSignature signature =
          new ModelSignature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()));
      return new OpenSession(session, options, signature);
    } catch (OrtException | AgoraException failure) {
      closeQuietly(session);
      options.close();
      throw failure instanceof AgoraException agora
          ? agora
          : invalid("ONNX Runtime cannot load the model: " + failure.getMessage());
    }
  }

  private void configure(SessionOptions options) throws OrtException {
    if (settings.intraOpThreads() > 0) {
      options.setIntraOpNumThreads(settings.intraOpThreads());
    }
    if (settings.interOpThreads() > 1) {
      options.setExecutionMode(ExecutionMode.PARALLEL);
      options.setInterOpNumThreads(settings.interOpThreads());
    }
    options.setCPUArenaAllocator(settings.memoryArena());
    options.setOptimizationLevel(optimizationLevel);
  }

  private static Set<String> unsignedInputs(ModelSignature signature) {
    Set<String> names = new LinkedHashSet<>();
    for (TensorSignature input : signature.inputs()) {
      if (OnnxTypes.needsSignedInput(input.datatype())) {
        names.add(input.name());
      }
    }
    return names;
  }

  private static List<TensorSignature> tensors(Map<String, NodeInfo> nodes) {
    List<TensorSignature> tensors = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes.values()) {
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw invalid("'" + node.getName() + "' is not a tensor; Agora serves tensors only");
      }
      Datatype datatype = OnnxTypes.datatype(info.onnxType);
      if (datatype == null) {
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
    return switch (name.toLowerCase(Locale.ROOT)) {
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
      // The session failed to open fully or is being replaced; the caller reports what matters.
    }
  }
}
