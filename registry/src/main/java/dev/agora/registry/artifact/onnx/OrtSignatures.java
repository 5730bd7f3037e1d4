package dev.agora.registry.artifact.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.agora.registry.artifact.TensorSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns ONNX Runtime's view of inputs and outputs into {@link TensorSignature}s. */
final class OrtSignatures {

  private OrtSignatures() {}

  static List<TensorSignature> describe(Map<String, NodeInfo> nodes, String role) {
    List<TensorSignature> signatures = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes.values()) {
      signatures.add(describe(node, role));
    }
    return signatures;
  }

  private static TensorSignature describe(NodeInfo node, String role) {
    ValueInfo info = node.getInfo();
    if (!(info instanceof TensorInfo tensor)) {
      throw OnnxSafetyRules.refuse(
          "The ONNX model's "
              + role
              + " '"
              + node.getName()
              + "' is not a tensor ("
              + info
              + "); only tensor inputs and outputs can be served.");
    }
    String datatype = datatype(tensor.onnxType);
    if (datatype == null) {
      throw OnnxSafetyRules.refuse(
          "The ONNX model's "
              + role
              + " '"
              + node.getName()
              + "' has element type "
              + tensor.onnxType
              + ", which the Open Inference Protocol cannot carry.");
    }
    List<Long> shape = new ArrayList<>();
    for (long dimension : tensor.getShape()) {
      shape.add(dimension < 0 ? -1L : dimension);
    }
    return new TensorSignature(node.getName(), datatype, shape);
  }

  /** The Open Inference Protocol name of an element type, or null when it has none. */
  static String datatype(TensorInfo.OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "BOOL";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> "UINT16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> "UINT32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> "UINT64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> "INT32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "INT64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "FP32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "FP64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> "BF16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
      default -> null;
    };
  }
}
