package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.DecodedRequest;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.inference.tensor.InferResponseEncoder;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import java.time.InstantSource;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One inference from request to response: resolve and load the version, validate and decode the
 * inputs, run the model, encode the outputs, and record statistics for the version.
 */
final class InferencePipeline {
  private final ModelRepository repository;
  private final InferRequestDecoder decoder;
  private final LongSupplier nanoTime;
  private final InstantSource clock;

  InferencePipeline(
      ModelRepository repository,
      InferRequestDecoder decoder,
      LongSupplier nanoTime,
      InstantSource clock) {
    this.repository = repository;
    this.decoder = decoder;
    this.nanoTime = nanoTime;
    this.clock = clock;
  }

  /** The current reading of the pipeline's nanosecond clock, to stamp a request's arrival. */
  long now() {
    return nanoTime.getAsLong();
  }

  /**
   * Answers {@code request}, which arrived at {@link #now()} = {@code arrivedNanos}.
   *
   * @throws AgoraException when the model is unknown or not ready, or the request is invalid
   */
  ModelInferResponse infer(ModelInferRequest request, long arrivedNanos) {
    if (request.getModelName().isEmpty()) {
      throw AgoraException.invalidField("model_name", "name the model to run");
    }
    ServableVersion servable =
        repository.acquire(request.getModelName(), request.getModelVersion());
    VersionStatistics statistics = servable.statistics();
    long start = now();
    statistics.recordQueue(start - arrivedNanos);
    try {
      PublishedVersion version = servable.published();
      DecodedRequest decoded = decoder.decode(request, version.signature(), version.label());
      long decodedAt = now();
      List<OutputTensor> outputs = servable.run(decoded.inputs(), decoded.outputNames());
      long ran = now();
      ModelInferResponse response =
          InferResponseEncoder.encode(request, version.model(), version.version(), outputs);
      long end = now();
      statistics.recordSuccess(
          decoded.batchSize(),
          clock.millis(),
          new VersionStatistics.Timing(
              decodedAt - start, ran - decodedAt, end - ran, end - arrivedNanos));
      return response;
    } catch (RuntimeException failure) {
      statistics.recordFailure(now() - arrivedNanos);
      throw failure;
    }
  }
}
