package dev.agora.inference.batching;

import dev.agora.inference.tensor.OutputTensor;
import java.util.List;

/**
 * What one request got from its execution, with the times it spent, in nanoseconds.
 *
 * @param outputs the request's own outputs, in the order it asked for them (slices of the
 *     execution's outputs when it shared the execution with others)
 * @param queueNanos from entering the scheduler to the start of its execution
 * @param inputNanos assembling the execution's inputs (concatenating requests)
 * @param inferNanos running the model
 * @param outputNanos splitting the execution's outputs back into requests
 * @param batchSize the rows of the whole execution
 */
public record JobResult(
    List<OutputTensor> outputs,
    long queueNanos,
    long inputNanos,
    long inferNanos,
    long outputNanos,
    long batchSize) {

  /** Copies the outputs. */
  public JobResult {
    outputs = List.copyOf(outputs);
  }
}
