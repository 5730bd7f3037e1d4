package dev.agora.inference.tensor;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.InferParameter;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import dev.agora.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of an inference request, following Triton's semantics for the reserved names.
 *
 * <ul>
 *   <li>{@code timeout} (µs): the request fails with {@code DEADLINE_EXCEEDED} instead of running
 *       if it waited longer (see {@link #timeoutNanos}); {@code priority} is accepted and ignored
 *       (Agora has one priority level).
 *   <li>{@code sequence_id}, {@code sequence_start}, {@code sequence_end} with a non-default value:
 *       {@code UNIMPLEMENTED} (no sequence batching), rather than silently dropping state.
 *   <li>{@code shared_memory_region/offset/byte_size} on an input or output, and {@code
 *       classification} on an output: {@code UNIMPLEMENTED}.
 *   <li>{@code binary_data}, {@code binary_data_output}, {@code binary_data_size}, {@code headers}
 *       and every other name: accepted and ignored, as Triton passes custom parameters through.
 * </ul>
 */
public final class InferParameters {
  private static final Set<String> SHARED_MEMORY =
      Set.of("shared_memory_region", "shared_memory_offset", "shared_memory_byte_size");

  private InferParameters() {}

  /**
   * Refuses parameters that ask for something Agora does not do, and reads the request's {@code
   * timeout}. (Each look at an absent protobuf map allocates an empty one, so every map is looked
   * at once.)
   *
   * @return the {@code timeout} parameter in nanoseconds, 0 when there is none
   * @throws AgoraException {@code NOT_IMPLEMENTED} or {@code INVALID_FIELD}
   */
  public static long check(ModelInferRequest request) {
    long timeoutNanos = 0;
    if (request.getParametersCount() > 0) {
      checkSequence(request.getParametersMap());
      timeoutNanos = timeoutNanos(request);
    }
    for (int i = 0; i < request.getInputsCount(); i++) {
      InferInputTensor input = request.getInputs(i);
      if (input.getParametersCount() > 0) {
        refuseSharedMemory(input.getParametersMap(), "input '" + input.getName() + "'");
      }
    }
    for (int i = 0; i < request.getOutputsCount(); i++) {
      InferRequestedOutputTensor output = request.getOutputs(i);
      if (output.getParametersCount() == 0) {
        continue;
      }
      String label = "output '" + output.getName() + "'";
      refuseSharedMemory(output.getParametersMap(), label);
      InferParameter classification = output.getParametersMap().get("classification");
      if (classification != null && integer(classification, "classification") > 0) {
        throw unimplemented(
            "Agora does not implement the classification extension; request "
                + label
                + " without the classification parameter and rank the values yourself.");
      }
    }
    return timeoutNanos;
  }

  /** The request's {@code timeout} parameter in nanoseconds, or 0 when there is none. */
  private static long timeoutNanos(ModelInferRequest request) {
    if (request.getParametersCount() == 0) {
      return 0;
    }
    InferParameter timeout = request.getParametersMap().get("timeout");
    if (timeout == null) {
      return 0;
    }
    long micros = integer(timeout, "timeout");
    if (micros < 0) {
      throw AgoraException.invalidField(
          "parameters[timeout]", "timeout must be a non-negative number of microseconds");
    }
    return micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : micros * 1000;
  }

  private static void checkSequence(Map<String, InferParameter> parameters) {
    InferParameter id = parameters.get("sequence_id");
    boolean stateful =
        id != null
            && (id.getParameterChoiceCase() == InferParameter.ParameterChoiceCase.STRING_PARAM
                ? !id.getStringParam().isEmpty()
                : integer(id, "sequence_id") != 0);
    stateful |= isTrue(parameters.get("sequence_start")) || isTrue(parameters.get("sequence_end"));
    if (stateful) {
      throw unimplemented(
          "Agora does not implement sequence batching; send stateless requests without"
              + " sequence_id, sequence_start and sequence_end.");
    }
  }

  private static void refuseSharedMemory(Map<String, InferParameter> parameters, String label) {
    for (String name : SHARED_MEMORY) {
      if (parameters.containsKey(name)) {
        throw unimplemented(
            "Agora does not support shared memory (parameter '"
                + name
                + "' on "
                + label
                + "); send tensors in raw_input_contents.");
      }
    }
  }

  private static long integer(InferParameter parameter, String name) {
    return switch (parameter.getParameterChoiceCase()) {
      case INT64_PARAM -> parameter.getInt64Param();
      case UINT64_PARAM -> parameter.getUint64Param();
      default ->
          throw AgoraException.invalidField(
              "parameters[" + name + "]", name + " must be an int64_param or uint64_param");
    };
  }

  private static boolean isTrue(InferParameter parameter) {
    return parameter != null
        && parameter.getParameterChoiceCase() == InferParameter.ParameterChoiceCase.BOOL_PARAM
        && parameter.getBoolParam();
  }

  private static AgoraException unimplemented(String message) {
    return AgoraException.of(ErrorReason.NOT_IMPLEMENTED, message);
  }
}
