package dev.agora.inference.runtime.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.onnx.AttributeProto;
import dev.agora.proto.onnx.GraphProto;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.TensorProto.DataType;
import dev.agora.proto.onnx.ValueInfoProto;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Makes models with UINT16, UINT32 or UINT64 graph inputs runnable from Java. ONNX Runtime's Java
 * API has no {@code OnnxJavaType} for those element types and refuses a signed tensor of the same
 * width for them, so the model is rewritten before the session is created: each such input is
 * declared as the signed type of the same width and followed by a {@code Cast} back to the unsigned
 * type, under an internal name that the rest of the graph (subgraphs included) now reads. A
 * same-width integer {@code Cast} keeps every bit, so the model computes exactly what it did; the
 * server feeds the client's raw bytes unchanged as the signed tensor.
 */
final class UnsignedInputs {
  /** Appended to an unsigned input's name to name the output of its {@code Cast}. */
  static final String INTERNAL_SUFFIX = "__agora_unsigned";

  private static final Map<Integer, Integer> SIGNED_OF =
      Map.of(
          DataType.UINT16_VALUE, DataType.INT16_VALUE,
          DataType.UINT32_VALUE, DataType.INT32_VALUE,
          DataType.UINT64_VALUE, DataType.INT64_VALUE);

  private UnsignedInputs() {}

  /**
   * The serialized model with each graph input in {@code names} rewritten as described above.
   *
   * @throws IllegalArgumentException when the bytes are not a model, a named input is not an
   *     unsigned 16/32/64-bit tensor, or it is also a graph output (nothing to rewrite between)
   */
  static byte[] rewrite(byte[] model, Set<String> names) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException malformed) {
      throw new IllegalArgumentException("the artifact is not an ONNX model", malformed);
    }
    Map<String, String> renames = renames(proto.getGraph(), names);
    GraphProto renamed = renameReads(proto.getGraph(), renames);
    GraphProto.Builder rewritten = renamed.toBuilder().clearNode();
    for (int i = 0; i < renamed.getInputCount(); i++) {
      ValueInfoProto input = renamed.getInput(i);
      String internal = renames.get(input.getName());
      if (internal != null) {
        int unsigned = input.getType().getTensorType().getElemType();
        Integer signed = SIGNED_OF.get(unsigned);
        if (signed == null) {
          throw new IllegalArgumentException(
              "input '" + input.getName() + "' is not an unsigned 16/32/64-bit tensor");
        }
        ValueInfoProto.Builder changed = rewritten.getInputBuilder(i);
        changed.getTypeBuilder().getTensorTypeBuilder().setElemType(signed);
        rewritten.addNode(cast(input.getName(), internal, unsigned));
      }
    }
    rewritten.addAllNode(renamed.getNodeList());
    return proto.toBuilder().setGraph(rewritten).build().toByteArray();
  }

  /** The internal name of each input in {@code names}, checked to be rewritable. */
  private static Map<String, String> renames(GraphProto graph, Set<String> names) {
    Map<String, String> renames = new HashMap<>();
    for (ValueInfoProto input : graph.getInputList()) {
      if (names.contains(input.getName())) {
        renames.put(input.getName(), input.getName() + INTERNAL_SUFFIX);
      }
    }
    if (!renames.keySet().equals(names)) {
      throw new IllegalArgumentException("inputs " + names + " are not all graph inputs");
    }
    for (ValueInfoProto output : graph.getOutputList()) {
      if (renames.containsKey(output.getName())) {
        throw new IllegalArgumentException(
            "input '" + output.getName() + "' is also a graph output");
      }
    }
    return renames;
  }

  private static NodeProto cast(String from, String to, int elementType) {
    return NodeProto.newBuilder()
        .setName(to)
        .setOpType("Cast")
        .addInput(from)
        .addOutput(to)
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("to")
                .setType(AttributeProto.AttributeType.INT)
                .setI(elementType))
        .build();
  }

  /** {@code graph} with every node input in {@code renames} renamed, subgraphs included. */
  private static GraphProto renameReads(GraphProto graph, Map<String, String> renames) {
    GraphProto.Builder builder = graph.toBuilder();
    for (NodeProto.Builder node : builder.getNodeBuilderList()) {
      for (int i = 0; i < node.getInputCount(); i++) {
        String replacement = renames.get(node.getInput(i));
        if (replacement != null) {
          node.setInput(i, replacement);
        }
      }
      for (AttributeProto.Builder attribute : node.getAttributeBuilderList()) {
        if (attribute.hasG()) {
          attribute.setG(renameReads(attribute.getG(), renames));
        }
        for (int g = 0; g < attribute.getGraphsCount(); g++) {
          attribute.setGraphs(g, renameReads(attribute.getGraphs(g), renames));
        }
      }
    }
    return builder.build();
  }
}
