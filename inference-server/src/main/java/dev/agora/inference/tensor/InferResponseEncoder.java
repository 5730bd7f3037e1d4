package dev.agora.inference.tensor;

import com.google.protobuf.UnsafeByteOperations;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import java.util.List;

/**
 * Builds a {@code ModelInferResponse}. Outputs always travel as {@code raw_output_contents}, one
 * entry per output in the order of {@code outputs}, and never as typed contents: the clients that
 * perf_analyzer and tritonclient use read raw bytes by position.
 */
public final class InferResponseEncoder {
  private InferResponseEncoder() {}

  /**
   * The response to {@code request} from model {@code model} version {@code version}; the request's
   * {@code id} is echoed. Each output buffer is wrapped, not copied, so the caller must not reuse
   * it; the output descriptions come from {@code descriptions}.
   */
  public static ModelInferResponse encode(
      ModelInferRequest request,
      String model,
      String version,
      List<OutputTensor> outputs,
      OutputDescriptions descriptions) {
    ModelInferResponse.Builder response =
        ModelInferResponse.newBuilder()
            .setModelName(model)
            .setModelVersion(version)
            .setId(request.getId());
    // Indexed loops and whole tensors (not addOutputsBuilder, which allocates field builders):
    // this runs once per request.
    for (int i = 0; i < outputs.size(); i++) {
      OutputTensor output = outputs.get(i);
      response.addOutputs(descriptions.describe(output));
      response.addRawOutputContents(UnsafeByteOperations.unsafeWrap(output.data()));
    }
    return response.build();
  }
}
