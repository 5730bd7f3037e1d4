package dev.agora.inference.runtime.onnx;

import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The output shapes one model produced for the input shapes it was recently given, so that the next
 * run with the same input shapes can have ONNX Runtime write into buffers Agora provides (pinned
 * outputs) instead of creating Java tensors for its own. A handful of shapes is remembered, the
 * latest first, each with a few idle {@link PinnedOutputs} sets for reuse. For a model whose output
 * shapes depend on input values rather than shapes, a pinned run fails; after a few such failures
 * this model is no longer pinned at all.
 */
final class LearnedOutputShapes implements AutoCloseable {
  /** How many input shapes are remembered. */
  static final int CAPACITY = 16;

  /** Failed pinned runs after which the model is no longer pinned. */
  static final int MISMATCHES_TOLERATED = 8;

  /** Idle output sets kept per shape, for that many runs at once. */
  static final int IDLE_SETS = 4;

  /** Output sets larger than this are not kept: their buffers go back to the shared pool. */
  static final long KEPT_SET_BYTES = 64 * 1024;

  private volatile Shapes[] remembered = new Shapes[0];
  private final AtomicInteger mismatches = new AtomicInteger();

  /** The shapes {@code outputNames} had for these input shapes, or null when not known. */
  Shapes find(List<InputTensor> inputs, List<String> outputNames) {
    if (mismatches.get() >= MISMATCHES_TOLERATED) {
      return null;
    }
    for (Shapes shapes : remembered) {
      if (shapes.matches(inputs, outputNames)) {
        return shapes;
      }
    }
    return null;
  }

  /** Remembers the shapes of {@code outputs}, produced from {@code inputs}. */
  synchronized void learn(
      List<InputTensor> inputs, List<String> outputNames, List<OutputTensor> outputs) {
    Shapes learned = Shapes.of(inputs, outputNames, outputs);
    Shapes[] current = remembered;
    Shapes[] next = new Shapes[Math.min(current.length + 1, CAPACITY)];
    next[0] = learned;
    int kept = 1;
    for (Shapes shapes : current) {
      if (kept < next.length && !shapes.sameKey(learned)) {
        next[kept++] = shapes;
      } else {
        shapes.retire();
      }
    }
    remembered = kept == next.length ? next : Arrays.copyOf(next, kept);
  }

  /** Forgets {@code shapes}: a pinned run with them failed. */
  synchronized void mismatched(Shapes shapes) {
    mismatches.incrementAndGet();
    Shapes[] current = remembered;
    Shapes[] next = new Shapes[current.length];
    int kept = 0;
    for (Shapes other : current) {
      if (other != shapes) {
        next[kept++] = other;
      }
    }
    remembered = Arrays.copyOf(next, kept);
    shapes.retire();
  }

  /** Whether pinned runs are still tried for this model. */
  boolean pinning() {
    return mismatches.get() < MISMATCHES_TOLERATED;
  }

  /** Closes every idle output set; sets in use are closed when given back. */
  @Override
  public synchronized void close() {
    for (Shapes shapes : remembered) {
      shapes.retire();
    }
    remembered = new Shapes[0];
  }

  /**
   * One remembered case: input shapes, the outputs asked for, and the outputs' types and shapes.
   */
  static final class Shapes {
    private final String[] inputNames;
    private final long[][] inputShapes;
    private final List<String> outputNames;
    private final Datatype[] outputTypes;
    private final long[][] outputShapes;
    private final ArrayBlockingQueue<PinnedOutputs> idle = new ArrayBlockingQueue<>(IDLE_SETS);
    private volatile boolean retired;

    private Shapes(
        String[] inputNames,
        long[][] inputShapes,
        List<String> outputNames,
        Datatype[] outputTypes,
        long[][] outputShapes) {
      this.inputNames = inputNames;
      this.inputShapes = inputShapes;
      this.outputNames = outputNames;
      this.outputTypes = outputTypes;
      this.outputShapes = outputShapes;
    }

    static Shapes of(
        List<InputTensor> inputs, List<String> outputNames, List<OutputTensor> outputs) {
      String[] inputNames = new String[inputs.size()];
      long[][] inputShapes = new long[inputs.size()][];
      for (int i = 0; i < inputShapes.length; i++) {
        inputNames[i] = inputs.get(i).name();
        inputShapes[i] = inputs.get(i).shape();
      }
      Datatype[] outputTypes = new Datatype[outputs.size()];
      long[][] outputShapes = new long[outputs.size()][];
      for (int i = 0; i < outputShapes.length; i++) {
        outputTypes[i] = outputs.get(i).datatype();
        outputShapes[i] = outputs.get(i).shape();
      }
      return new Shapes(
          inputNames, inputShapes, List.copyOf(outputNames), outputTypes, outputShapes);
    }

    List<String> outputNames() {
      return outputNames;
    }

    Datatype[] outputTypes() {
      return outputTypes;
    }

    long[][] outputShapes() {
      return outputShapes;
    }

    /** An idle output set for these shapes, or null when none is left. */
    PinnedOutputs poll() {
      return idle.poll();
    }

    /** Keeps {@code set} for the next run if it is small and room is left, else closes it. */
    void giveBack(PinnedOutputs set) {
      if (retired || set.bytes() > KEPT_SET_BYTES || !idle.offer(set)) {
        set.close();
        return;
      }
      if (retired) {
        closeIdle();
      }
    }

    void retire() {
      retired = true;
      closeIdle();
    }

    private void closeIdle() {
      for (PinnedOutputs set = idle.poll(); set != null; set = idle.poll()) {
        set.close();
      }
    }

    boolean matches(List<InputTensor> inputs, List<String> wanted) {
      if (inputs.size() != inputShapes.length || !outputNames.equals(wanted)) {
        return false;
      }
      for (int i = 0; i < inputShapes.length; i++) {
        InputTensor input = inputs.get(i);
        long[] shape = inputShapes[i];
        if (input.rank() != shape.length || !input.name().equals(inputNames[i])) {
          return false;
        }
        for (int d = 0; d < shape.length; d++) {
          if (input.dim(d) != shape[d]) {
            return false;
          }
        }
      }
      return true;
    }

    boolean sameKey(Shapes other) {
      return Arrays.equals(inputNames, other.inputNames)
          && Arrays.deepEquals(inputShapes, other.inputShapes)
          && outputNames.equals(other.outputNames);
    }
  }
}
