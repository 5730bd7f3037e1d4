package dev.agora.registry.artifact.onnx;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.onnx.AttributeProto;
import dev.agora.proto.onnx.FunctionProto;
import dev.agora.proto.onnx.GraphProto;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.OperatorSetIdProto;
import dev.agora.proto.onnx.TensorProto;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules an ONNX model must meet before ONNX Runtime sees it: a graph, a default-domain opset,
 * only standard operator domains (or the model's own functions), and every tensor stored inside the
 * file. Sparse tensors are refused as well, because the schema subset cannot look inside them for
 * external data.
 */
final class OnnxSafetyRules {
  /** Operator domains that ONNX Runtime implements without extra libraries. */
  static final Set<String> STANDARD_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft");

  private static final int GRAPH_SPARSE_INITIALIZER = 15;
  private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
  private static final int ATTRIBUTE_SPARSE_TENSORS = 23;

  private final Set<String> allowedDomains = new HashSet<>(STANDARD_DOMAINS);

  private OnnxSafetyRules(ModelProto model) {
    model.getFunctionsList().forEach(function -> allowedDomains.add(function.getDomain()));
  }

  /**
   * Checks the model and returns its default-domain opset version.
   *
   * @throws AgoraException with reason {@code INVALID_ARTIFACT} naming the first broken rule
   */
  static long check(ModelProto model) {
    if (!model.hasGraph()) {
      throw refuse("The artifact is not an ONNX model: it has no graph.");
    }
    OnnxSafetyRules rules = new OnnxSafetyRules(model);
    long opset = rules.checkOpsets(model);
    rules.checkGraph(model.getGraph(), "the main graph");
    for (FunctionProto function : model.getFunctionsList()) {
      for (NodeProto node : function.getNodeList()) {
        rules.checkNode(node, "function '" + function.getName() + "'");
      }
    }
    return opset;
  }

  private long checkOpsets(ModelProto model) {
    long opset = -1;
    for (OperatorSetIdProto imported : model.getOpsetImportList()) {
      checkDomain(imported.getDomain(), "the model's opset imports");
      if (imported.getDomain().isEmpty() || imported.getDomain().equals("ai.onnx")) {
        opset = imported.getVersion();
      }
    }
    if (opset < 1) {
      throw refuse("The ONNX model imports no version of the default operator set (ai.onnx).");
    }
    return opset;
  }

  private void checkGraph(GraphProto graph, String where) {
    if (graph.getUnknownFields().hasField(GRAPH_SPARSE_INITIALIZER)) {
      throw refuse("The ONNX model has sparse initializers in " + where + ", which are refused.");
    }
    for (TensorProto initializer : graph.getInitializerList()) {
      checkTensor(initializer, "initializer '" + initializer.getName() + "' of " + where);
    }
    for (NodeProto node : graph.getNodeList()) {
      checkNode(node, where);
    }
  }

  private void checkNode(NodeProto node, String where) {
    String nodeName = "node '" + node.getName() + "' (" + node.getOpType() + ") in " + where;
    checkDomain(node.getDomain(), nodeName);
    for (AttributeProto attribute : node.getAttributeList()) {
      String attributeName = "attribute '" + attribute.getName() + "' of " + nodeName;
      if (attribute.getUnknownFields().hasField(ATTRIBUTE_SPARSE_TENSOR)
          || attribute.getUnknownFields().hasField(ATTRIBUTE_SPARSE_TENSORS)) {
        throw refuse(
            "The ONNX model has a sparse tensor in " + attributeName + ", which is refused.");
      }
      if (attribute.hasT()) {
        checkTensor(attribute.getT(), attributeName);
      }
      for (TensorProto tensor : attribute.getTensorsList()) {
        checkTensor(tensor, attributeName);
      }
      if (attribute.hasG()) {
        checkGraph(attribute.getG(), "the subgraph in " + attributeName);
      }
      for (GraphProto graph : attribute.getGraphsList()) {
        checkGraph(graph, "a subgraph in " + attributeName);
      }
    }
  }

  private void checkDomain(String domain, String where) {
    if (!allowedDomains.contains(domain)) {
      throw refuse(
          "The ONNX model uses operator domain '"
              + domain
              + "' in "
              + where
              + ", which needs a custom-operator library; only the domains '', 'ai.onnx',"
              + " 'ai.onnx.ml' and 'com.microsoft' are accepted.");
    }
  }

  private static void checkTensor(TensorProto tensor, String where) {
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL
        || tensor.getExternalDataCount() > 0) {
      throw refuse(
          "The ONNX model keeps the data of "
              + where
              + " in an external file; save the model with every tensor inside the .onnx file.");
    }
  }

  static AgoraException refuse(String sentence) {
    return AgoraException.of(ErrorReason.INVALID_ARTIFACT, sentence);
  }
}
