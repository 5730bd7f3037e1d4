package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtException.OrtErrorCode;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open ONNX Runtime session. Fixed-size inputs are wrapped from their direct buffers without
 * copying; BYTES inputs become ONNX string tensors ({@link StringTensors}). Fixed-size outputs are
 * copied once, into heap buffers the caller owns.
 *
 * <p>Outputs are pinned where possible: once a run with some input shapes has shown the output
 * shapes ({@link LearnedOutputShapes}), the next run with those input shapes has ONNX Runtime write
 * its outputs into pooled direct buffers, which saves creating a Java tensor, its type description
 * and a result per run. BYTES and unsigned 16/32/64-bit outputs are never pinned. A pinned run that
 * fails is run again unpinned, which either succeeds (the shapes had changed) or reports the
 * model's failure.
 */
final class OnnxLoadedModel implements LoadedModel {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final SessionOptions options;
  private final ModelSignature signature;
  private final Set<String> allOutputs;
  private final Set<String> pinnableOutputs;
  private final TensorBufferPool buffers;
  private final LearnedOutputShapes learned = new LearnedOutputShapes();

  OnnxLoadedModel(
      OrtEnvironment environment,
      OrtSession session,
      SessionOptions options,
      ModelSignature signature,
      TensorBufferPool buffers) {
    this.environment = environment;
    this.session = session;
    this.options = options;
    this.signature = signature;
    this.buffers = buffers;
    this.allOutputs = Collections.unmodifiableSet(new LinkedHashSet<>(signature.outputNames()));
    Set<String> pinnable = new HashSet<>();
    for (TensorSignature output : signature.outputs()) {
      if (OnnxTypes.pinnableOutput(output.datatype())) {
        pinnable.add(output.name());
      }
    }
    this.pinnableOutputs = Set.copyOf(pinnable);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
    Map<String, OnnxTensor> feeds = inputs.size() == 1 ? null : new HashMap<>(inputs.size() * 2);
    try {
      if (feeds == null) {
        InputTensor only = inputs.get(0);
        feeds = Map.of(only.name(), tensor(only));
      } else {
        for (InputTensor input : inputs) {
          feeds.put(input.name(), tensor(input));
        }
      }
      LearnedOutputShapes.Shapes shapes = learned.find(inputs, outputNames);
      if (shapes != null) {
        List<OutputTensor> pinned = runPinned(feeds, shapes);
        if (pinned != null) {
          return pinned;
        }
        learned.mismatched(shapes);
      }
      List<OutputTensor> outputs = runUnpinned(feeds, outputNames);
      if (learned.pinning() && pinnable(outputNames)) {
        learned.learn(inputs, outputNames, outputs);
      }
      return outputs;
    } catch (OrtException failure) {
      throw mapFailure(failure);
    } finally {
      if (feeds != null) {
        feeds.values().forEach(OnnxTensor::close);
      }
    }
  }

  private List<OutputTensor> runUnpinned(Map<String, OnnxTensor> feeds, List<String> outputNames)
      throws OrtException {
    Set<String> wanted =
        outputNames.equals(signature.outputNames()) ? allOutputs : new LinkedHashSet<>(outputNames);
    try (OrtSession.Result result = session.run(feeds, wanted)) {
      List<OutputTensor> outputs = new ArrayList<>(outputNames.size());
      for (String name : outputNames) {
        outputs.add(copyOut(name, result));
      }
      return outputs;
    }
  }

  /**
   * Runs with every output written into buffers of the learned shapes, then copied into heap
   * buffers; null when ONNX Runtime refused (the caller runs again unpinned).
   */
  private List<OutputTensor> runPinned(
      Map<String, OnnxTensor> feeds, LearnedOutputShapes.Shapes shapes) {
    PinnedOutputs set = shapes.poll();
    try {
      if (set == null) {
        set =
            PinnedOutputs.open(
                environment,
                buffers,
                shapes.outputNames(),
                shapes.outputTypes(),
                shapes.outputShapes());
      }
      session.run(feeds, set.tensors()).close();
    } catch (OrtException refused) {
      if (set != null) {
        set.close();
      }
      return null;
    }
    List<OutputTensor> outputs = set.copyOut();
    shapes.giveBack(set);
    return outputs;
  }

  private boolean pinnable(List<String> outputNames) {
    for (String name : outputNames) {
      if (!pinnableOutputs.contains(name)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    learned.close();
    try {
      session.close();
    } catch (OrtException failure) {
      throw AgoraException.builder(
              ErrorReason.INTERNAL_ERROR, "ONNX Runtime failed to close a session.")
          .cause(failure)
          .build();
    } finally {
      options.close();
    }
  }

  private OnnxTensor tensor(InputTensor input) throws OrtException {
    if (input.datatype() == Datatype.BYTES) {
      return OnnxTensor.createTensor(environment, StringTensors.decode(input), input.shape());
    }
    return OnnxTensor.createTensor(
        environment, input.data(), input.shape(), OnnxTypes.inputType(input.datatype()));
  }

  private static OutputTensor copyOut(String name, OrtSession.Result result) throws OrtException {
    OnnxValue value =
        result
            .get(name)
            .orElseThrow(() -> failed("ONNX Runtime returned no output '" + name + "'"));
    if (!(value instanceof OnnxTensor tensor)) {
      throw failed("output '" + name + "' is not a tensor");
    }
    TensorInfo info = tensor.getInfo();
    Datatype datatype = OnnxTypes.datatype(info.onnxType);
    if (datatype == null) {
      throw failed("output '" + name + "' has element type " + info.onnxType + ", unsupported");
    }
    if (datatype == Datatype.BYTES) {
      return new OutputTensor(name, datatype, info.getShape(), StringTensors.encode(tensor));
    }
    return new OutputTensor(name, datatype, info.getShape(), tensor.getByteBuffer());
  }

  private static AgoraException mapFailure(OrtException failure) {
    if (failure.getCode() == OrtErrorCode.ORT_INVALID_ARGUMENT) {
      return AgoraException.builder(
              ErrorReason.INVALID_TENSOR,
              "ONNX Runtime refused the inputs: " + failure.getMessage())
          .cause(failure)
          .build();
    }
    return AgoraException.builder(
            ErrorReason.INFERENCE_FAILED,
            "ONNX Runtime failed to run the model: " + failure.getMessage())
        .cause(failure)
        .build();
  }

  private static AgoraException failed(String message) {
    return AgoraException.of(ErrorReason.INFERENCE_FAILED, message);
  }
}
