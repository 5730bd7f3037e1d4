package dev.agora.inference.tensor;

import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a {@code ModelInferRequest} against a model's signature and decodes its inputs into
 * direct little-endian buffers.
 *
 * <p>Every size is checked before anything sized from the request's claims is allocated: element
 * counts use overflow-checked arithmetic, raw byte lengths and typed value counts must match the
 * declared shape exactly, and no tensor may exceed the configured byte limit. All problems found
 * are reported together, each as a field violation naming the input.
 */
public final class InferRequestDecoder {
  private final long maxTensorBytes;

  /** A decoder that refuses tensors larger than {@code maxTensorBytes}. */
  public InferRequestDecoder(long maxTensorBytes) {
    if (maxTensorBytes < 1 || maxTensorBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxTensorBytes must be in [1, 2^31-1]");
    }
    this.maxTensorBytes = maxTensorBytes;
  }

  /**
   * Validates and decodes {@code request}.
   *
   * @param subject names the model version in error messages, e.g. {@code model 'mlp' version
   *     '1.0.0'}
   * @throws dev.agora.common.error.AgoraException {@code INVALID_TENSOR} or {@code LIMIT_EXCEEDED}
   *     with a field violation per problem
   */
  public DecodedRequest decode(
      ModelInferRequest request, ModelSignature signature, String subject) {
    requireOneDataSource(request, subject);
    TensorViolations violations = new TensorViolations();
    List<PlannedInput> planned = planInputs(request, signature, violations);
    reportMissing(request, signature, violations);
    List<String> outputs = RequestedOutputs.names(request, signature, violations);
    violations.throwIfAny(subject);
    List<InputTensor> inputs = new ArrayList<>(planned.size());
    for (PlannedInput input : planned) {
      inputs.add(read(request, input, subject));
    }
    long batchSize = signature.batchable() && !planned.isEmpty() ? planned.get(0).shape()[0] : 1;
    return new DecodedRequest(inputs, outputs, batchSize);
  }

  private record PlannedInput(int index, TensorSignature spec, long[] shape, long bytes) {}

  private static void requireOneDataSource(ModelInferRequest request, String subject) {
    int raw = request.getRawInputContentsCount();
    if (raw == 0) {
      return;
    }
    for (int i = 0; i < request.getInputsCount(); i++) {
      if (request.getInputs(i).hasContents()) {
        throw TensorViolations.single(
            subject,
            "inputs[" + i + "].contents",
            "input '"
                + request.getInputs(i).getName()
                + "' sets contents while the request uses raw_input_contents; send every input"
                + " one way");
      }
    }
    if (raw != request.getInputsCount()) {
      throw TensorViolations.single(
          subject,
          "raw_input_contents",
          "raw_input_contents has "
              + raw
              + " entries for "
              + request.getInputsCount()
              + " inputs; send one entry per input, in the order of inputs");
    }
  }

  private List<PlannedInput> planInputs(
      ModelInferRequest request, ModelSignature signature, TensorViolations violations) {
    List<PlannedInput> planned = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < request.getInputsCount(); i++) {
      InferInputTensor tensor = request.getInputs(i);
      String field = "inputs[" + i + "]";
      TensorSignature spec = signature.input(tensor.getName()).orElse(null);
      if (spec == null) {
        violations.invalid(
            field,
            "unknown input '" + tensor.getName() + "'; the model's inputs are " + names(signature));
      } else if (!seen.add(spec.name())) {
        violations.invalid(field, "input '" + spec.name() + "' appears more than once");
      } else {
        PlannedInput input = plan(request, i, spec, violations);
        if (input != null) {
          planned.add(input);
        }
      }
    }
    return planned;
  }

  private PlannedInput plan(
      ModelInferRequest request, int index, TensorSignature spec, TensorViolations violations) {
    InferInputTensor tensor = request.getInputs(index);
    String field = "inputs[" + index + "]";
    String problem = TensorShapes.datatypeProblem(spec, tensor.getDatatype());
    long[] shape = tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
    if (problem == null) {
      problem = TensorShapes.shapeProblem(spec, shape);
    }
    long bytes = problem == null ? TensorShapes.byteSize(spec.datatype(), shape) : -1;
    if (problem == null && bytes < 0) {
      problem =
          "input '" + spec.name() + "' has shape " + Arrays.toString(shape) + ", too many elements";
    }
    if (problem == null) {
      problem = dataProblem(request, index, spec, shape, bytes);
      field = request.getRawInputContentsCount() > 0 ? "raw_input_contents[" + index + "]" : field;
    }
    if (problem != null) {
      violations.invalid(field, problem);
      return null;
    }
    if (bytes > maxTensorBytes) {
      violations.overLimit(
          "inputs[" + index + "]",
          "input '"
              + spec.name()
              + "' needs "
              + bytes
              + " bytes, more than the limit of "
              + maxTensorBytes
              + " bytes per tensor");
      return null;
    }
    return new PlannedInput(index, spec, shape, bytes);
  }

  private static String dataProblem(
      ModelInferRequest request, int index, TensorSignature spec, long[] shape, long bytes) {
    String label = "input '" + spec.name() + "' with shape " + Arrays.toString(shape);
    if (request.getRawInputContentsCount() > 0) {
      long actual = request.getRawInputContents(index).size();
      return actual == bytes
          ? null
          : label
              + " of "
              + spec.datatype()
              + " needs "
              + bytes
              + " bytes, but raw_input_contents["
              + index
              + "] holds "
              + actual;
    }
    return TensorShapes.typedCountProblem(
        spec, request.getInputs(index), bytes / spec.datatype().elementBytes(), label);
  }

  private static void reportMissing(
      ModelInferRequest request, ModelSignature signature, TensorViolations violations) {
    Set<String> given = new HashSet<>();
    request.getInputsList().forEach(t -> given.add(t.getName()));
    for (TensorSignature spec : signature.inputs()) {
      if (!given.contains(spec.name())) {
        violations.invalid("inputs", "missing input '" + spec.name() + "' " + describe(spec));
      }
    }
  }

  private static InputTensor read(ModelInferRequest request, PlannedInput input, String subject) {
    ByteBuffer buffer =
        ByteBuffer.allocateDirect((int) input.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    Datatype datatype = input.spec().datatype();
    if (request.getRawInputContentsCount() > 0) {
      request.getRawInputContents(input.index()).copyTo(buffer);
    } else {
      String problem =
          TypedContents.write(datatype, request.getInputs(input.index()).getContents(), buffer);
      if (problem != null) {
        throw TensorViolations.single(
            subject,
            "inputs[" + input.index() + "].contents",
            "input '" + input.spec().name() + "' (" + datatype + "): " + problem);
      }
    }
    buffer.flip();
    return new InputTensor(input.spec().name(), datatype, input.shape(), buffer);
  }

  private static String names(ModelSignature signature) {
    return signature.inputs().stream().map(TensorSignature::name).toList().toString();
  }

  private static String describe(TensorSignature spec) {
    return "(" + spec.datatype() + " " + Arrays.toString(spec.shape()) + ")";
  }
}
