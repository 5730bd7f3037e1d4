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
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An open ONNX Runtime session. Inputs are wrapped from their direct buffers without copying;
 * outputs are copied out of ONNX Runtime's memory once, into buffers the caller owns.
 */
final class OnnxLoadedModel implements LoadedModel {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final SessionOptions options;
  private final ModelSignature signature;

  OnnxLoadedModel(
      OrtEnvironment environment,
      OrtSession session,
      SessionOptions options,
      ModelSignature signature) {
    this.environment = environment;
    this.session = session;
    this.options = options;
    this.signature = signature;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      for (InputTensor input : inputs) {
        feeds.put(
            input.name(),
            OnnxTensor.createTensor(
                environment, input.data(), input.shape(), OnnxTypes.inputType(input.datatype())));
      }
      try (OrtSession.Result result = session.run(feeds, new LinkedHashSet<>(outputNames))) {
        List<OutputTensor> outputs = new ArrayList<>(outputNames.size());
        for (String name : outputNames) {
          outputs.add(copyOut(name, result));
        }
        return outputs;
      }
    } catch (OrtException failure) {
      throw mapFailure(failure);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
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

  private static OutputTensor copyOut(String name, OrtSession.Result result) {
    OnnxValue value =
        result
            .get(name)
            .orElseThrow(() -> failed("ONNX Runtime returned no output '" + name + "'"));
    if (!(value instanceof OnnxTensor tensor)) {
      throw failed("output '" + name + "' is not a tensor");
    }
    TensorInfo info = tensor.getInfo();
    Datatype datatype = OnnxTypes.datatype(info.onnxType);
    if (datatype == null || !datatype.fixedSize()) {
      throw failed("output '" + name + "' has element type " + info.onnxType + ", unsupported");
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
