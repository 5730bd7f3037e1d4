package dev.agora.inference.tensor;

import com.google.protobuf.ByteString;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Validates a {@code ModelInferRequest} against a model's signature and decodes its inputs.
 *
 * <p>Every size is checked before anything sized from the request's claims is allocated: element
 * counts use overflow-checked arithmetic, raw byte lengths and typed value counts must match the
 * declared shape exactly, BYTES length prefixes are walked and checked against the bytes really
 * present, and no tensor may exceed the configured byte limit. All problems found are reported
 * together, each as a field violation naming the input.
 *
 * <p>Fixed-size inputs are copied, in one bulk copy each, into direct little-endian buffers from a
 * {@link TensorBufferPool}; give them back with {@link #release}. BYTES inputs keep their
 * length-prefixed raw form (a view of the request's bytes when they came raw).
 */
public final class InferRequestDecoder {
  /** The default pool: buffers up to 1 MiB recycled, about 16 MiB kept idle. */
  private static final int DEFAULT_POOLED_BUFFER_BYTES = 1 << 20;

  private static final long DEFAULT_IDLE_BYTES = 16L << 20;

  private final long maxTensorBytes;
  private final TensorBufferPool pool;

  /** A decoder that refuses tensors larger than {@code maxTensorBytes}, with its own pool. */
  public InferRequestDecoder(long maxTensorBytes) {
    this(maxTensorBytes, new TensorBufferPool(DEFAULT_POOLED_BUFFER_BYTES, DEFAULT_IDLE_BYTES));
  }

  /** A decoder that takes its input buffers from {@code pool}. */
  public InferRequestDecoder(long maxTensorBytes, TensorBufferPool pool) {
    if (maxTensorBytes < 1 || maxTensorBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxTensorBytes must be in [1, 2^31-1]");
    }
    this.maxTensorBytes = maxTensorBytes;
    this.pool = pool;
  }

  /**
   * Validates and decodes {@code request}.
   *
   * @param subject names the model version in error messages, e.g. {@code model 'mlp' version
   *     '1.0.0'}
   * @throws dev.agora.common.error.AgoraException {@code INVALID_TENSOR} or {@code LIMIT_EXCEEDED}
   *     with a field violation per problem; {@code NOT_IMPLEMENTED} or {@code INVALID_FIELD} for
   *     parameters Agora does not serve (see {@link InferParameters})
   */
  public DecodedRequest decode(
      ModelInferRequest request, ModelSignature signature, String subject) {
    long timeoutNanos = InferParameters.check(request);
    requireOneDataSource(request, subject);
    TensorViolations violations = new TensorViolations();
    PlannedInput[] planned = planInputs(request, signature, violations);
    reportMissing(request, signature, violations);
    List<String> outputs = RequestedOutputs.names(request, signature, violations);
    violations.throwIfAny(subject);
    InputTensor[] inputs = new InputTensor[planned.length];
    try {
      for (int i = 0; i < planned.length; i++) {
        inputs[i] = read(request, planned[i], subject);
      }
    } catch (RuntimeException failure) {
      for (InputTensor input : inputs) {
        if (input != null) {
          pool.release(input.data());
        }
      }
      throw failure;
    }
    boolean batching = signature.batchable() && planned.length > 0;
    long batchSize = batching ? planned[0].shape()[0] : 1;
    boolean sameRows = true;
    for (PlannedInput input : planned) {
      sameRows &= input.shape()[0] == batchSize;
    }
    return new DecodedRequest(
        List.of(inputs), outputs, batchSize, batching && sameRows, timeoutNanos);
  }

  /** Gives the pooled buffers of {@code decoded} back; its inputs must not be used afterwards. */
  public void release(DecodedRequest decoded) {
    for (InputTensor input : decoded.inputs()) {
      pool.release(input.data());
    }
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

  /** The valid inputs, by their position in the signature; empty when any is not valid. */
  private PlannedInput[] planInputs(
      ModelInferRequest request, ModelSignature signature, TensorViolations violations) {
    PlannedInput[] planned = new PlannedInput[signature.inputs().size()];
    for (int i = 0; i < request.getInputsCount(); i++) {
      InferInputTensor tensor = request.getInputs(i);
      int position = signature.inputIndex(tensor.getName());
      if (position < 0) {
        violations.invalid(
            "inputs[" + i + "]",
            "unknown input '" + tensor.getName() + "'; the model's inputs are " + names(signature));
      } else if (appearsBefore(request, i)) {
        violations.invalid(
            "inputs[" + i + "]", "input '" + tensor.getName() + "' appears more than once");
      } else {
        planned[position] = plan(request, i, signature.inputs().get(position), violations);
      }
    }
    for (PlannedInput input : planned) {
      if (input == null) {
        return new PlannedInput[0];
      }
    }
    return planned;
  }

  private static boolean appearsBefore(ModelInferRequest request, int index) {
    String name = request.getInputs(index).getName();
    for (int i = 0; i < index; i++) {
      if (request.getInputs(i).getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private PlannedInput plan(
      ModelInferRequest request, int index, TensorSignature spec, TensorViolations violations) {
    InferInputTensor tensor = request.getInputs(index);
    String problem = TensorShapes.datatypeProblem(spec, tensor.getDatatype());
    long[] shape = new long[tensor.getShapeCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = tensor.getShape(d);
    }
    if (problem == null) {
      problem = TensorShapes.shapeProblem(spec, shape);
    }
    long needed = problem == null ? TensorShapes.byteSize(spec.datatype(), shape) : -1;
    if (problem == null && needed < 0) {
      problem =
          "input '" + spec.name() + "' has shape " + Arrays.toString(shape) + ", too many elements";
    }
    boolean dataProblem = false;
    if (problem == null) {
      problem = InputData.problem(request, index, spec, shape, needed);
      dataProblem = request.getRawInputContentsCount() > 0;
    }
    if (problem != null) {
      violations.invalid(
          dataProblem ? "raw_input_contents[" + index + "]" : "inputs[" + index + "]", problem);
      return null;
    }
    long bytes = InputData.byteSize(request, index, spec, needed);
    return withinLimit(index, spec, bytes, violations)
        ? new PlannedInput(index, spec, shape, bytes)
        : null;
  }

  private boolean withinLimit(
      int index, TensorSignature spec, long bytes, TensorViolations violations) {
    if (bytes <= maxTensorBytes) {
      return true;
    }
    violations.overLimit(
        "inputs[" + index + "]",
        "input '"
            + spec.name()
            + "' needs "
            + bytes
            + " bytes, more than the limit of "
            + maxTensorBytes
            + " bytes per tensor");
    return false;
  }

  private static void reportMissing(
      ModelInferRequest request, ModelSignature signature, TensorViolations violations) {
    for (TensorSignature spec : signature.inputs()) {
      boolean given = false;
      for (int i = 0; i < request.getInputsCount() && !given; i++) {
        given = request.getInputs(i).getName().equals(spec.name());
      }
      if (!given) {
        violations.invalid("inputs", "missing input '" + spec.name() + "' " + describe(spec));
      }
    }
  }

  private InputTensor read(ModelInferRequest request, PlannedInput input, String subject) {
    Datatype datatype = input.spec().datatype();
    boolean raw = request.getRawInputContentsCount() > 0;
    ByteBuffer buffer;
    if (datatype == Datatype.BYTES) {
      buffer =
          raw
              ? request.getRawInputContents(input.index()).asReadOnlyByteBuffer()
              : BytesElements.fromValues(
                  request.getInputs(input.index()).getContents().getBytesContentsList());
      buffer.order(ByteOrder.LITTLE_ENDIAN);
    } else if (raw) {
      ByteString bytes = request.getRawInputContents(input.index());
      buffer = pool.acquire((int) input.bytes());
      bytes.copyTo(buffer);
      buffer.flip();
    } else {
      buffer = pool.acquire((int) input.bytes());
      String problem =
          TypedContents.write(datatype, request.getInputs(input.index()).getContents(), buffer);
      if (problem != null) {
        pool.release(buffer);
        throw TensorViolations.single(
            subject,
            "inputs[" + input.index() + "].contents",
            "input '" + input.spec().name() + "' (" + datatype + "): " + problem);
      }
      buffer.flip();
    }
    return new InputTensor(input.spec().name(), datatype, input.shape(), buffer);
  }

  private static String names(ModelSignature signature) {
    return signature.inputs().stream().map(TensorSignature::name).toList().toString();
  }

  private static String describe(TensorSignature spec) {
    return "(" + spec.datatype() + " " + Arrays.toString(spec.shape()) + ")";
  }
}
