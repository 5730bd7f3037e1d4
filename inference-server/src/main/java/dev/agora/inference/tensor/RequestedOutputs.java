package dev.agora.inference.tensor;

import dev.agora.proto.inference.ModelInferRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The outputs a request asks for: all of the model's when it names none. */
final class RequestedOutputs {
  private RequestedOutputs() {}

  static List<String> names(
      ModelInferRequest request, ModelSignature signature, TensorViolations violations) {
    if (request.getOutputsCount() == 0) {
      return signature.outputNames();
    }
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < request.getOutputsCount(); i++) {
      String name = request.getOutputs(i).getName();
      String field = "outputs[" + i + "]";
      if (signature.output(name).isEmpty()) {
        violations.invalid(
            field,
            "unknown output '" + name + "'; the model's outputs are " + signature.outputNames());
      } else if (!seen.add(name)) {
        violations.invalid(field, "output '" + name + "' is requested more than once");
      } else {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }
}
