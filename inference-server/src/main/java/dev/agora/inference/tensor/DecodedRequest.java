package dev.agora.inference.tensor;

import java.util.List;

/**
 * An inference request after validation: the inputs in the order of the model's signature and the
 * names of the outputs to return, in the order the response must list them.
 *
 * @param batchSize the size of the leading dimension of the first input when the model batches
 *     along it, else 1; this is the request's number of inferences in statistics
 * @param batchable whether the model batches along the leading dimension and every input of this
 *     request has the same size there, so the request can share an execution with others
 * @param timeoutNanos the request's {@code timeout} parameter in nanoseconds, 0 when it has none
 */
public record DecodedRequest(
    List<InputTensor> inputs,
    List<String> outputNames,
    long batchSize,
    boolean batchable,
    long timeoutNanos) {

  /** Copies the lists. */
  public DecodedRequest {
    inputs = List.copyOf(inputs);
    outputNames = List.copyOf(outputNames);
  }
}
