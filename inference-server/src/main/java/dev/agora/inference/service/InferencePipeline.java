package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.batching.InferenceJob;
import dev.agora.inference.batching.JobResult;
import dev.agora.inference.batching.Ticker;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.DecodedRequest;
import dev.agora.inference.tensor.InferRequestDecoder;
import dev.agora.inference.tensor.InferResponseEncoder;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * One inference from request to response. On a request thread: admit, resolve and load the version
 * (holding a reference on it), validate and decode the inputs, and queue a job with the version's
 * scheduler. When the job completes on an execution thread, the pooled input buffers and the
 * reference are given back, the request's statistics are recorded and the response is encoded: on a
 * request thread when the execution served several requests (so the execution thread moves on to
 * the next batch instead of encoding each answer), and on the execution thread itself when it
 * served this request alone, where encoding costs a few microseconds and a thread hop would cost
 * more.
 */
final class InferencePipeline {
  private final ModelRepository repository;
  private final InferRequestDecoder decoder;
  private final Ticker ticker;
  private final InstantSource clock;
  private final Executor responses;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * A pipeline.
   *
   * @param responses where responses are encoded: the request executor, so that the execution pool
   *     only runs models; when it refuses, the completing thread encodes
   * @param maxPending requests admitted and not yet answered before new ones are refused
   */
  InferencePipeline(
      ModelRepository repository,
      InferRequestDecoder decoder,
      Ticker ticker,
      InstantSource clock,
      Executor responses,
      int maxPending) {
    this.repository = repository;
    this.decoder = decoder;
    this.ticker = ticker;
    this.clock = clock;
    this.responses = responses;
    this.maxPending = maxPending;
  }

  /** The current reading of the pipeline's nanosecond clock, to stamp a request's arrival. */
  long now() {
    return ticker.read();
  }

  /**
   * Answers {@code request}, which arrived at {@link #now()} = {@code arrivedNanos}.
   *
   * @param deadlineNanos the caller's deadline on the same clock, or {@link
   *     InferenceJob#NO_DEADLINE}
   * @param cancelled whether the caller has gone away
   * @throws AgoraException when the model is unknown or not ready, the request is invalid, or too
   *     many requests are pending; later failures complete the future exceptionally
   */
  CompletableFuture<ModelInferResponse> infer(
      ModelInferRequest request, long arrivedNanos, long deadlineNanos, BooleanSupplier cancelled) {
    if (request.getModelName().isEmpty()) {
      throw AgoraException.invalidField("model_name", "name the model to run");
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      throw Handoff.busy();
    }
    ServableVersion servable;
    try {
      servable = repository.retain(request.getModelName(), request.getModelVersion());
    } catch (RuntimeException failure) {
      pending.decrementAndGet();
      throw failure;
    }
    return start(request, servable, arrivedNanos, deadlineNanos, cancelled);
  }

  private CompletableFuture<ModelInferResponse> start(
      ModelInferRequest request,
      ServableVersion servable,
      long arrived,
      long deadline,
      BooleanSupplier cancelled) {
    long started = now();
    DecodedRequest decoded;
    try {
      PublishedVersion version = servable.published();
      decoded = decoder.decode(request, version.signature(), servable.label());
    } catch (RuntimeException invalid) {
      servable.statistics().recordFailure(started - arrived, now() - arrived);
      finish(servable);
      throw invalid;
    }
    long decodedAt = now();
    InferenceJob job =
        new InferenceJob(
            decoded.inputs(),
            decoded.outputNames(),
            decoded.batchSize(),
            decoded.batchable(),
            effectiveDeadline(decoded.timeoutNanos(), arrived, deadline),
            cancelled);
    PendingAnswer answer =
        new PendingAnswer(request, servable, decoded, arrived, started, decodedAt);
    job.result().whenComplete(answer);
    servable.enqueue(job);
    return answer;
  }

  /**
   * The answer to one request, completed when its job does: on the completing thread when the
   * execution served this request alone, on a request thread otherwise. One object per request
   * serves as the future, the job's callback and the encoding task.
   */
  private final class PendingAnswer extends CompletableFuture<ModelInferResponse>
      implements BiConsumer<JobResult, Throwable>, Runnable {
    private final ModelInferRequest request;
    private final ServableVersion servable;
    private final DecodedRequest decoded;
    private final long arrived;
    private final long started;
    private final long decodedAt;
    private JobResult result;
    private Throwable failure;

    PendingAnswer(
        ModelInferRequest request,
        ServableVersion servable,
        DecodedRequest decoded,
        long arrived,
        long started,
        long decodedAt) {
      this.request = request;
      this.servable = servable;
      this.decoded = decoded;
      this.arrived = arrived;
      this.started = started;
      this.decodedAt = decodedAt;
    }

    @Override
    public void accept(JobResult result, Throwable failure) {
      this.result = result;
      this.failure = failure;
      if (result != null && result.batchSize() > decoded.batchSize()) {
        respond(this);
      } else {
        run();
      }
    }

    @Override
    public void run() {
      try {
        complete(answer(this));
      } catch (RuntimeException failed) {
        completeExceptionally(failed);
      }
    }
  }

  private ModelInferResponse answer(PendingAnswer pending) {
    ServableVersion servable = pending.servable;
    DecodedRequest decoded = pending.decoded;
    JobResult result = pending.result;
    Throwable failure = pending.failure;
    try {
      decoder.release(decoded);
      VersionStatistics statistics = servable.statistics();
      long waited = pending.started - pending.arrived;
      if (failure != null) {
        statistics.recordFailure(waited, now() - pending.arrived);
        throw failure instanceof RuntimeException runtime
            ? runtime
            : new CompletionException(failure);
      }
      long encoding = now();
      PublishedVersion version = servable.published();
      ModelInferResponse response =
          InferResponseEncoder.encode(
              pending.request,
              version.model(),
              version.version(),
              result.outputs(),
              servable.outputDescriptions());
      long end = now();
      statistics.recordSuccess(
          decoded.batchSize(),
          clock.millis(),
          waited + result.queueNanos(),
          pending.decodedAt - pending.started + result.inputNanos(),
          result.inferNanos(),
          result.outputNanos() + end - encoding,
          end - pending.arrived);
      return response;
    } finally {
      finish(servable);
    }
  }

  private void finish(ServableVersion servable) {
    servable.release();
    pending.decrementAndGet();
  }

  private void respond(Runnable encode) {
    try {
      responses.execute(encode);
    } catch (RejectedExecutionException full) {
      encode.run();
    }
  }

  /**
   * The reading of the pipeline's clock {@code nanos} after {@code now}, or {@link
   * InferenceJob#NO_DEADLINE} when that is too far to represent.
   */
  static long deadlineAfter(long now, long nanos) {
    try {
      long deadline = Math.addExact(now, nanos);
      return deadline == InferenceJob.NO_DEADLINE ? deadline - 1 : deadline;
    } catch (ArithmeticException tooFar) {
      return InferenceJob.NO_DEADLINE;
    }
  }

  /** The caller's deadline, shortened by the request's {@code timeout} (nanoseconds) if not 0. */
  private static long effectiveDeadline(long timeout, long arrived, long deadline) {
    if (timeout == 0) {
      return deadline;
    }
    long byTimeout = deadlineAfter(arrived, timeout);
    if (deadline == InferenceJob.NO_DEADLINE) {
      return byTimeout;
    }
    return byTimeout != InferenceJob.NO_DEADLINE && byTimeout - deadline < 0 ? byTimeout : deadline;
  }
}
