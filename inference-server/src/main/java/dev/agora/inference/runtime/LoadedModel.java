package dev.agora.inference.runtime;

import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.OutputTensor;
import java.util.List;

/**
 * One model opened by a {@link ModelRuntime}. {@link #run} may be called from many threads at once;
 * {@link #close()} must not overlap a run (the caller guarantees that).
 */
public interface LoadedModel extends AutoCloseable {

  /** The inputs and outputs as the engine sees them in the file. */
  ModelSignature signature();

  /**
   * Runs the model.
   *
   * @param inputs every input the model needs, already validated against its signature
   * @param outputNames the outputs to compute; the result lists them in this order
   * @throws dev.agora.common.error.AgoraException {@code INVALID_TENSOR} when the engine refuses
   *     the inputs, {@code INFERENCE_FAILED} when execution fails
   */
  List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames);

  /** Releases the model's native resources. */
  @Override
  void close();
}
