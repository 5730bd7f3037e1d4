package dev.agora.inference.batching;

import dev.agora.inference.tensor.InputTensor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One validated request waiting to run: its inputs (in the model's input order), the outputs it
 * wants, how many rows it carries, and until when it is worth running.
 */
public final class InferenceJob {
  /** A deadline that never passes. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final List<InputTensor> inputs;
  private final List<String> outputNames;
  private final long rows;
  private final boolean batchable;
  private final long deadlineNanos;
  private final BooleanSupplier cancelled;
  private final CompletableFuture<JobResult> result = new CompletableFuture<>();
  private volatile long enqueuedNanos;
  // an execution's outcome, kept by the execution thread until it delivers it
  private JobResult keptOutcome;
  private Throwable keptFailure;

  /**
   * A job.
   *
   * @param rows the request's size along the batch dimension (1 when the model does not batch)
   * @param batchable whether it may share an execution with compatible jobs
   * @param deadlineNanos the {@link Ticker} reading after which it must not run; {@link
   *     #NO_DEADLINE} for none
   * @param cancelled whether the caller has gone away (checked before running)
   */
  public InferenceJob(
      List<InputTensor> inputs,
      List<String> outputNames,
      long rows,
      boolean batchable,
      long deadlineNanos,
      BooleanSupplier cancelled) {
    this.inputs = List.copyOf(inputs);
    this.outputNames = List.copyOf(outputNames);
    this.rows = rows;
    this.batchable = batchable;
    this.deadlineNanos = deadlineNanos;
    this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative");
    }
  }

  /** Completes when the job ran or was refused; see {@link Scheduler#enqueue}. */
  public CompletableFuture<JobResult> result() {
    return result;
  }

  /** The inputs, in the model's input order. */
  public List<InputTensor> inputs() {
    return inputs;
  }

  /** The outputs to return, in the order the caller wants them. */
  public List<String> outputNames() {
    return outputNames;
  }

  /** Rows along the batch dimension. */
  public long rows() {
    return rows;
  }

  boolean batchable() {
    return batchable;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  void markEnqueued(long now) {
    enqueuedNanos = now;
  }

  /** Whether the job must be dropped instead of run at {@code now}. */
  boolean expired(long now) {
    return now - deadlineNanos >= 0 && deadlineNanos != NO_DEADLINE;
  }

  boolean cancelled() {
    return cancelled.getAsBoolean();
  }

  void complete(JobResult outcome) {
    result.complete(outcome);
  }

  void fail(Throwable failure) {
    result.completeExceptionally(failure);
  }

  /** Keeps {@code outcome} for {@link #deliver}, on the execution's thread. */
  void keep(JobResult outcome) {
    keptOutcome = outcome;
  }

  /** Keeps {@code failure} for {@link #deliver}, on the execution's thread. */
  void keepFailure(Throwable failure) {
    keptFailure = failure;
  }

  /** Completes the job with what the execution kept, on the thread that kept it. */
  void deliver() {
    if (keptFailure != null) {
      fail(keptFailure);
    } else if (keptOutcome != null) {
      complete(keptOutcome);
    } else {
      fail(new IllegalStateException("the execution kept no outcome for this job"));
    }
    keptOutcome = null;
    keptFailure = null;
  }

  /**
   * Whether this job and {@code other} can run in one execution: both batchable, asking for the
   * same outputs, with the same inputs that differ at most in their first dimension.
   */
  boolean compatibleWith(InferenceJob other) {
    if (!batchable || !other.batchable || !outputNames.equals(other.outputNames)) {
      return false;
    }
    if (inputs.size() != other.inputs.size()) {
      return false;
    }
    for (int i = 0; i < inputs.size(); i++) {
      InputTensor mine = inputs.get(i);
      InputTensor theirs = other.inputs.get(i);
      if (!mine.name().equals(theirs.name()) || mine.datatype() != theirs.datatype()) {
        return false;
      }
      if (mine.rank() == 0 || mine.rank() != theirs.rank()) {
        return false;
      }
      for (int d = 1; d < mine.rank(); d++) {
        if (mine.dim(d) != theirs.dim(d)) {
          return false;
        }
      }
    }
    return true;
  }
}
