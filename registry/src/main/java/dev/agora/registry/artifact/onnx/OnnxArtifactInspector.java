package dev.agora.registry.artifact.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.registry.artifact.ArtifactInspector;
import dev.agora.registry.artifact.InspectedArtifact;
import dev.agora.registry.artifact.TensorSignature;
import java.io.IOException;
import java.util.List;

/**
 * Inspects ONNX artifacts: parses them, applies {@link OnnxSafetyRules}, then creates (and closes)
 * an ONNX Runtime session with one thread and no graph optimizations to prove the model loads and
 * to read its signature. Thread-safe; each call builds its own session.
 */
public final class OnnxArtifactInspector implements ArtifactInspector {
  /** The format name recorded for ONNX artifacts. */
  public static final String FORMAT = "onnx";

  private static final int MAX_REPORTED_CHARS = 600;

  private final OrtEnvironment environment;

  /** An inspector on ONNX Runtime's process-wide environment. */
  public OnnxArtifactInspector() {
    this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
  }

  @Override
  public InspectedArtifact inspect(byte[] artifact) {
    ModelProto model = parse(artifact);
    long opset = OnnxSafetyRules.check(model);
    try (OrtSession.SessionOptions options = inspectionOptions();
        OrtSession session = environment.createSession(artifact, options)) {
      List<TensorSignature> inputs = OrtSignatures.describe(session.getInputInfo(), "input");
      List<TensorSignature> outputs = OrtSignatures.describe(session.getOutputInfo(), "output");
      return new InspectedArtifact(FORMAT, opset, model.getProducerName(), inputs, outputs);
    } catch (OrtException e) {
      throw OnnxSafetyRules.refuse("ONNX Runtime cannot load the model: " + sentence(e));
    }
  }

  /** ONNX Runtime's own words, bounded in length and ending like a sentence. */
  private static String sentence(OrtException e) {
    String reported = String.valueOf(e.getMessage()).strip();
    if (reported.length() > MAX_REPORTED_CHARS) {
      reported = reported.substring(0, MAX_REPORTED_CHARS) + "…";
    }
    return reported.endsWith(".") ? reported : reported + ".";
  }

  private static ModelProto parse(byte[] artifact) {
    CodedInputStream in = CodedInputStream.newInstance(artifact);
    in.enableAliasing(true);
    try {
      return ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw OnnxSafetyRules.refuse(
          "The artifact is not an ONNX model: its bytes are not an ONNX protobuf message.");
    } catch (IOException e) {
      throw new IllegalStateException("reading an in-memory artifact failed", e);
    }
  }

  private static OrtSession.SessionOptions inspectionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }
}
