package dev.agora.inference.batching;

import dev.agora.inference.tensor.BytesElements;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins compatible requests into one execution's inputs along the first dimension, and splits the
 * execution's outputs back into each request's rows. Joining costs one bulk copy per request input
 * into a pooled buffer; splitting costs nothing (the slices are views of the output).
 */
final class BatchTensors {
  private BatchTensors() {}

  /** The inputs of one execution of {@code jobs}, which must be pairwise compatible. */
  static List<InputTensor> concat(List<InferenceJob> jobs, TensorBufferPool pool) {
    InferenceJob first = jobs.get(0);
    long rows = 0;
    for (InferenceJob job : jobs) {
      rows += job.rows();
    }
    List<InputTensor> joined = new ArrayList<>(first.inputs().size());
    for (int i = 0; i < first.inputs().size(); i++) {
      InputTensor template = first.inputs().get(i);
      long bytes = 0;
      for (InferenceJob job : jobs) {
        bytes += job.inputs().get(i).data().remaining();
      }
      ByteBuffer buffer =
          template.datatype() == Datatype.BYTES
              ? ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN)
              : pool.acquire(Math.toIntExact(bytes));
      for (InferenceJob job : jobs) {
        buffer.put(job.inputs().get(i).data().duplicate());
      }
      buffer.flip();
      long[] shape = template.shape();
      shape[0] = rows;
      joined.add(new InputTensor(template.name(), template.datatype(), shape, buffer));
    }
    return joined;
  }

  /** Gives the buffers {@link #concat} took back to {@code pool}. */
  static void release(List<InputTensor> joined, TensorBufferPool pool) {
    joined.forEach(input -> pool.release(input.data()));
  }

  /**
   * Each job's outputs, cut from {@code outputs} by rows in job order; null when an output does not
   * have the execution's rows as its first dimension (the model does not batch along it).
   */
  static List<List<OutputTensor>> split(List<OutputTensor> outputs, List<InferenceJob> jobs) {
    long rows = 0;
    for (InferenceJob job : jobs) {
      rows += job.rows();
    }
    List<List<OutputTensor>> perJob = new ArrayList<>(jobs.size());
    jobs.forEach(job -> perJob.add(new ArrayList<>(outputs.size())));
    for (OutputTensor output : outputs) {
      int[] offsets = rowOffsets(output, rows);
      if (offsets == null) {
        return null;
      }
      long row = 0;
      for (int j = 0; j < jobs.size(); j++) {
        long jobRows = jobs.get(j).rows();
        int from = offsets[(int) row];
        int to = offsets[(int) (row + jobRows)];
        ByteBuffer data = output.data();
        ByteBuffer slice = data.slice(data.position() + from, to - from);
        long[] shape = output.shape();
        shape[0] = jobRows;
        perJob.get(j).add(new OutputTensor(output.name(), output.datatype(), shape, slice));
        row += jobRows;
      }
    }
    return perJob;
  }

  private static int[] rowOffsets(OutputTensor output, long rows) {
    long[] shape = output.shape();
    if (shape.length == 0 || shape[0] != rows || rows == 0) {
      return null;
    }
    long elementsPerRow = 1;
    for (int d = 1; d < shape.length; d++) {
      elementsPerRow *= shape[d];
    }
    if (output.datatype() == Datatype.BYTES) {
      return BytesElements.rowOffsets(output.data(), rows, elementsPerRow);
    }
    long rowBytes = elementsPerRow * output.datatype().elementBytes();
    if (rowBytes * rows != output.data().remaining()) {
      return null;
    }
    int[] offsets = new int[Math.toIntExact(rows + 1)];
    for (int r = 0; r <= rows; r++) {
      offsets[r] = Math.toIntExact(r * rowBytes);
    }
    return offsets;
  }
}
