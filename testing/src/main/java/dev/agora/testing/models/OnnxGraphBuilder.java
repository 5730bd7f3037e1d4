package dev.agora.testing.models;

import dev.agora.proto.onnx.AttributeProto;
import dev.agora.proto.onnx.GraphProto;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.OperatorSetIdProto;
import dev.agora.proto.onnx.TensorProto;
import dev.agora.proto.onnx.TensorShapeProto;
import dev.agora.proto.onnx.TypeProto;
import dev.agora.proto.onnx.ValueInfoProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fluent builder for a single-graph ONNX model (IR version {@value #IR_VERSION}, default-domain
 * opset {@value #DEFAULT_OPSET} unless overridden).
 *
 * <p>Shapes are given as {@code long} dimensions; {@code -1} becomes the symbolic dimension {@code
 * dim_param = "batch"}. Example:
 *
 * <pre>{@code
 * ModelProto model = OnnxGraphBuilder.named("relu")
 *     .input("x", OipDatatype.FP32, -1, 16)
 *     .output("y", OipDatatype.FP32, -1, 16)
 *     .node("Relu", List.of("x"), "y")
 *     .build();
 * }</pre>
 */
public final class OnnxGraphBuilder {
  /** The ONNX IR version every generated model declares. */
  public static final long IR_VERSION = 8;

  /** The default-domain ({@code ai.onnx}) opset every generated model imports. */
  public static final long DEFAULT_OPSET = 17;

  /** The {@code dim_param} written for a dimension given as {@code -1}. */
  public static final String DYNAMIC_DIM_NAME = "batch";

  private final GraphProto.Builder graph;
  private final Map<String, Long> opsets = new LinkedHashMap<>();
  private int nodeCount;

  private OnnxGraphBuilder(String graphName) {
    this.graph = GraphProto.newBuilder().setName(graphName);
    opsets.put("", DEFAULT_OPSET);
  }

  /** Starts a model whose graph has the given name. */
  public static OnnxGraphBuilder named(String graphName) {
    return new OnnxGraphBuilder(Objects.requireNonNull(graphName, "graphName"));
  }

  /** Declares a graph input of an OIP datatype. */
  public OnnxGraphBuilder input(String name, OipDatatype datatype, long... dims) {
    return input(name, datatype.onnxType(), dims);
  }

  /** Declares a graph input of an ONNX element type. */
  public OnnxGraphBuilder input(String name, TensorProto.DataType elemType, long... dims) {
    graph.addInput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Declares a graph output of an OIP datatype. */
  public OnnxGraphBuilder output(String name, OipDatatype datatype, long... dims) {
    return output(name, datatype.onnxType(), dims);
  }

  /** Declares a graph output of an ONNX element type. */
  public OnnxGraphBuilder output(String name, TensorProto.DataType elemType, long... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a constant FP32 initializer stored in {@code float_data}. */
  public OnnxGraphBuilder floatInitializer(String name, float[] values, long... dims) {
    requireElementCount(name, values.length, dims);
    TensorProto.Builder tensor = tensor(name, TensorProto.DataType.FLOAT, dims);
    for (float value : values) {
      tensor.addFloatData(value);
    }
    return initializer(tensor.build());
  }

  /** Adds a constant INT64 initializer stored in {@code int64_data}. */
  public OnnxGraphBuilder int64Initializer(String name, long[] values, long... dims) {
    requireElementCount(name, values.length, dims);
    TensorProto.Builder tensor = tensor(name, TensorProto.DataType.INT64, dims);
    for (long value : values) {
      tensor.addInt64Data(value);
    }
    return initializer(tensor.build());
  }

  /** Adds an arbitrary initializer, e.g. one that points at external data. */
  public OnnxGraphBuilder initializer(TensorProto tensor) {
    graph.addInitializer(tensor);
    return this;
  }

  /** Adds a default-domain node without attributes; the node is named after its op and index. */
  public OnnxGraphBuilder node(String opType, List<String> inputs, String... outputs) {
    return node(opType, inputs, List.of(outputs), List.of());
  }

  /** Adds a default-domain node with attributes. */
  public OnnxGraphBuilder node(
      String opType, List<String> inputs, List<String> outputs, List<AttributeProto> attributes) {
    return node(
        NodeProto.newBuilder()
            .setName(opType.toLowerCase(Locale.ROOT) + "_" + nodeCount)
            .setOpType(opType)
            .addAllInput(inputs)
            .addAllOutput(outputs)
            .addAllAttribute(attributes)
            .build());
  }

  /** Adds a fully specified node (any domain). */
  public OnnxGraphBuilder node(NodeProto node) {
    graph.addNode(node);
    nodeCount++;
    return this;
  }

  /** Imports (or re-versions) an operator set; {@code ""} is the default ONNX domain. */
  public OnnxGraphBuilder opset(String domain, long version) {
    opsets.put(Objects.requireNonNull(domain, "domain"), version);
    return this;
  }

  /** Builds the model. The builder may be used again afterwards. */
  public ModelProto build() {
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("agora-testing")
            .setProducerVersion("1")
            .setModelVersion(1)
            .setGraph(graph.build());
    opsets.forEach(
        (domain, version) ->
            model.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    return model.build();
  }

  /** An INT attribute, for ops such as {@code Gemm}'s {@code transB}. */
  public static AttributeProto intAttribute(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /** A tensor header (name, type, dims) without data. */
  static TensorProto.Builder tensor(String name, TensorProto.DataType elemType, long... dims) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name);
    tensor.setDataType(elemType.getNumber());
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor;
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType elemType, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
      if (dim == -1) {
        dimension.setDimParam(DYNAMIC_DIM_NAME);
      } else if (dim >= 0) {
        dimension.setDimValue(dim);
      } else {
        throw new IllegalArgumentException("dimension of " + name + " must be >= -1: " + dim);
      }
      shape.addDim(dimension);
    }
    TypeProto.Tensor tensorType =
        TypeProto.Tensor.newBuilder().setElemType(elemType.getNumber()).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensorType))
        .build();
  }

  private static void requireElementCount(String name, int count, long[] dims) {
    long expected = 1;
    for (long dim : dims) {
      expected *= dim;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer " + name + " has " + count + " values for " + expected + " elements");
    }
  }
}
