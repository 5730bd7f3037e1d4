package dev.agora.inference.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's worth of output tensors of known shapes, backed by pooled direct buffers that ONNX
 * Runtime writes into. A set is used by one run at a time; small sets are kept for the next run
 * with the same shapes ({@link LearnedOutputShapes}), so such a run creates no output tensors.
 */
final class PinnedOutputs implements AutoCloseable {
  private final List<String> names;
  private final Datatype[] datatypes;
  private final long[][] shapes;
  private final ByteBuffer[] buffers;
  private final Map<String, OnnxTensor> tensors;
  private final TensorBufferPool pool;
  private final long bytes;

  private PinnedOutputs(
      List<String> names,
      Datatype[] datatypes,
      long[][] shapes,
      ByteBuffer[] buffers,
      Map<String, OnnxTensor> tensors,
      TensorBufferPool pool,
      long bytes) {
    this.names = names;
    this.datatypes = datatypes;
    this.shapes = shapes;
    this.buffers = buffers;
    this.tensors = tensors;
    this.pool = pool;
    this.bytes = bytes;
  }

  /**
   * Output tensors for {@code names} of the given types and shapes, over buffers from {@code pool}.
   */
  static PinnedOutputs open(
      OrtEnvironment environment,
      TensorBufferPool pool,
      List<String> names,
      Datatype[] datatypes,
      long[][] shapes)
      throws OrtException {
    int count = names.size();
    ByteBuffer[] buffers = new ByteBuffer[count];
    Map<String, OnnxTensor> tensors = new HashMap<>(count * 2);
    long total = 0;
    try {
      for (int i = 0; i < count; i++) {
        long size = byteSize(datatypes[i], shapes[i]);
        total += size;
        buffers[i] = pool.acquire(Math.toIntExact(size));
        tensors.put(
            names.get(i),
            OnnxTensor.createTensor(
                environment, buffers[i], shapes[i], OnnxTypes.inputType(datatypes[i])));
      }
    } catch (OrtException | RuntimeException failure) {
      new PinnedOutputs(names, datatypes, shapes, buffers, tensors, pool, total).close();
      throw failure;
    }
    return new PinnedOutputs(names, datatypes, shapes, buffers, tensors, pool, total);
  }

  /** The tensors to pass to a run as its pinned outputs. */
  Map<String, OnnxTensor> tensors() {
    return tensors;
  }

  /** The bytes of all buffers together. */
  long bytes() {
    return bytes;
  }

  /** What the last run wrote, copied into heap buffers the caller owns. */
  List<OutputTensor> copyOut() {
    OutputTensor[] outputs = new OutputTensor[names.size()];
    for (int i = 0; i < outputs.length; i++) {
      ByteBuffer written = buffers[i].duplicate();
      ByteBuffer copy = ByteBuffer.allocate(written.remaining()).order(ByteOrder.LITTLE_ENDIAN);
      copy.put(written).flip();
      outputs[i] = new OutputTensor(names.get(i), datatypes[i], shapes[i], copy);
    }
    return List.of(outputs);
  }

  /** Closes the tensors and gives the buffers back to the pool. */
  @Override
  public void close() {
    tensors.values().forEach(OnnxTensor::close);
    for (ByteBuffer buffer : buffers) {
      pool.release(buffer);
    }
  }

  private static long byteSize(Datatype datatype, long[] shape) {
    long elements = 1;
    for (long dim : shape) {
      elements = Math.multiplyExact(elements, dim);
    }
    return Math.multiplyExact(elements, datatype.elementBytes());
  }
}
