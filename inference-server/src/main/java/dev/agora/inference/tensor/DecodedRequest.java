package dev.agora.inference.tensor;

import java.util.List;

/**
 * An inference request after validation: the inputs in request order and the names of the outputs
 * to return, in the order the response must list them.
 *
 * @param batchSize the size of the leading dimension of the first input when the model batches
 *     along it, else 1; used for statistics
 */
public record DecodedRequest(List<InputTensor> inputs, List<String> outputNames, long batchSize) {

  /** Copies the lists. */
  public DecodedRequest {
    inputs = List.copyOf(inputs);
    outputNames = List.copyOf(outputNames);
  }
}
