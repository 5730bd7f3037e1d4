package dev.agora.registry.service;

import dev.agora.testing.models.OipDatatype;
import dev.agora.testing.models.OnnxGraphBuilder;
import java.util.List;

/**
 * ONNX models with exactly the inputs and outputs a test declares, plus two helper inputs ({@code
 * aux_data} FP32 [-1], {@code aux_shape} INT64 [-1]) that every model has. Each output is {@code
 * Cast(Reshape(aux_data, aux_shape))}, whose shape ONNX Runtime cannot infer, so it reports the
 * declared output shape unchanged; the declared inputs are unused.
 */
final class SignatureModels {

  private SignatureModels() {}

  /** One declared tensor; {@code -1} marks a dynamic dimension. */
  record Tensor(String name, OipDatatype datatype, long... dims) {}

  static Tensor tensor(String name, String datatype, long... dims) {
    return new Tensor(name, OipDatatype.fromName(datatype), dims);
  }

  static byte[] model(List<Tensor> inputs, List<Tensor> outputs) {
    OnnxGraphBuilder graph = OnnxGraphBuilder.named("signature");
    inputs.forEach(input -> graph.input(input.name(), input.datatype(), input.dims()));
    graph
        .input("aux_data", OipDatatype.FP32, -1)
        .input("aux_shape", OipDatatype.INT64, -1)
        .node("Reshape", List.of("aux_data", "aux_shape"), "reshaped");
    for (Tensor output : outputs) {
      graph
          .output(output.name(), output.datatype(), output.dims())
          .node(
              "Cast",
              List.of("reshaped"),
              List.of(output.name()),
              List.of(
                  OnnxGraphBuilder.intAttribute("to", output.datatype().onnxType().getNumber())));
    }
    return graph.build().toByteArray();
  }
}
