package dev.agora.inference.runtime.onnx;

import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The output shapes one model produced for the input shapes it was recently given, so that the next
 * run with the same input shapes can have ONNX Runtime write into buffers Agora provides (pinned
 * outputs) instead of creating Java tensors for its own. A handful of shapes is remembered, the
 * latest first. For a model whose output shapes depend on input values rather than shapes, a pinned
 * run fails; after a few such failures this model is no longer pinned at all.
 */
final class LearnedOutputShapes {
  /** How many input shapes are remembered. */
  static final int CAPACITY = 16;

  /** Failed pinned runs after which the model is no longer pinned. */
  static final int MISMATCHES_TOLERATED = 8;

  private volatile Entry[] entries = new Entry[0];
  private final AtomicInteger mismatches = new AtomicInteger();

  /** The shapes {@code outputNames} had for these input shapes, or null when not known. */
  long[][] find(List<InputTensor> inputs, List<String> outputNames) {
    if (mismatches.get() >= MISMATCHES_TOLERATED) {
      return null;
    }
    for (Entry entry : entries) {
      if (entry.matches(inputs, outputNames)) {
        return entry.outputShapes;
      }
    }
    return null;
  }

  /** Remembers the shapes of {@code outputs}, produced from {@code inputs}. */
  synchronized void learn(
      List<InputTensor> inputs, List<String> outputNames, List<OutputTensor> outputs) {
    long[][] inputShapes = new long[inputs.size()][];
    for (int i = 0; i < inputShapes.length; i++) {
      inputShapes[i] = inputs.get(i).shape();
    }
    long[][] outputShapes = new long[outputs.size()][];
    for (int i = 0; i < outputShapes.length; i++) {
      outputShapes[i] = outputs.get(i).shape();
    }
    Entry learned = new Entry(names(inputs), inputShapes, List.copyOf(outputNames), outputShapes);
    Entry[] current = entries;
    Entry[] next = new Entry[Math.min(current.length + 1, CAPACITY)];
    next[0] = learned;
    int kept = 1;
    for (Entry entry : current) {
      if (kept < next.length && !entry.sameKey(learned)) {
        next[kept++] = entry;
      }
    }
    entries = kept == next.length ? next : Arrays.copyOf(next, kept);
  }

  /** Forgets the shapes for these inputs: a pinned run with them failed. */
  synchronized void mismatched(List<InputTensor> inputs, List<String> outputNames) {
    mismatches.incrementAndGet();
    Entry[] current = entries;
    Entry[] next = new Entry[current.length];
    int kept = 0;
    for (Entry entry : current) {
      if (!entry.matches(inputs, outputNames)) {
        next[kept++] = entry;
      }
    }
    entries = Arrays.copyOf(next, kept);
  }

  /** Whether pinned runs are still tried for this model. */
  boolean pinning() {
    return mismatches.get() < MISMATCHES_TOLERATED;
  }

  private static String[] names(List<InputTensor> inputs) {
    String[] names = new String[inputs.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = inputs.get(i).name();
    }
    return names;
  }

  private record Entry(
      String[] inputNames, long[][] inputShapes, List<String> outputNames, long[][] outputShapes) {

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

    boolean sameKey(Entry other) {
      return Arrays.equals(inputNames, other.inputNames)
          && Arrays.deepEquals(inputShapes, other.inputShapes)
          && outputNames.equals(other.outputNames);
    }
  }
}
