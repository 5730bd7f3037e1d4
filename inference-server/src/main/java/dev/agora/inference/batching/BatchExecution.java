package dev.agora.inference.batching;

import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one execution of a model for a list of jobs, on the calling (execution) thread: drops the
 * jobs that expired or were cancelled, joins the rest, runs the model once, splits the outputs and
 * keeps each job's outcome, which the caller then delivers ({@link InferenceJob#deliver}) once its
 * slot is free ({@link Execution}). A failure fails exactly the jobs of this execution. If the
 * model's outputs do not follow the batch dimension, each job is run again on its own.
 */
final class BatchExecution {
  private final LoadedModel model;
  private final TensorBufferPool pool;
  private final Ticker ticker;
  private final VersionStatistics statistics;

  BatchExecution(
      LoadedModel model, TensorBufferPool pool, Ticker ticker, VersionStatistics statistics) {
    this.model = model;
    this.pool = pool;
    this.ticker = ticker;
    this.statistics = statistics;
  }

  /**
   * Runs {@code job} as an execution of its own unless it expired or was cancelled; never throws.
   */
  void runOne(InferenceJob job) {
    long start = ticker.read();
    RuntimeException unwanted = unwanted(job, start);
    if (unwanted != null) {
      job.keepFailure(unwanted);
      return;
    }
    try {
      runAlone(job, start);
    } catch (RuntimeException failure) {
      job.keepFailure(failure);
    }
  }

  /** Runs {@code jobs} as one execution; never throws. */
  void run(List<InferenceJob> jobs) {
    long start = ticker.read();
    List<InferenceJob> live = dropUnwanted(jobs, start);
    if (live.isEmpty()) {
      return;
    }
    try {
      if (live.size() == 1) {
        runAlone(live.get(0), start);
      } else {
        runTogether(live, start);
      }
    } catch (RuntimeException failure) {
      live.forEach(job -> job.keepFailure(failure));
    }
  }

  private void runAlone(InferenceJob job, long start) {
    List<OutputTensor> outputs = model.run(job.inputs(), job.outputNames());
    long ran = ticker.read();
    statistics.recordExecution(job.rows(), 0, ran - start, 0);
    job.keep(new JobResult(outputs, start - job.enqueuedNanos(), 0, ran - start, 0, job.rows()));
  }

  private void runTogether(List<InferenceJob> jobs, long start) {
    long rows = 0;
    for (InferenceJob job : jobs) {
      rows += job.rows();
    }
    List<InputTensor> inputs = BatchTensors.concat(jobs, pool);
    List<List<OutputTensor>> split;
    long assembled = ticker.read();
    long ran;
    try {
      List<OutputTensor> outputs = model.run(inputs, jobs.get(0).outputNames());
      ran = ticker.read();
      split = BatchTensors.split(outputs, jobs);
    } finally {
      BatchTensors.release(inputs, pool);
    }
    if (split == null) {
      runEachAlone(jobs);
      return;
    }
    long done = ticker.read();
    statistics.recordExecution(rows, assembled - start, ran - assembled, done - ran);
    for (int i = 0; i < jobs.size(); i++) {
      InferenceJob job = jobs.get(i);
      job.keep(
          new JobResult(
              split.get(i),
              start - job.enqueuedNanos(),
              assembled - start,
              ran - assembled,
              done - ran,
              rows));
    }
  }

  private void runEachAlone(List<InferenceJob> jobs) {
    for (InferenceJob job : jobs) {
      try {
        runAlone(job, ticker.read());
      } catch (RuntimeException failure) {
        job.keepFailure(failure);
      }
    }
  }

  /** Why {@code job} must not run at {@code now}, or null when it may. */
  private static RuntimeException unwanted(InferenceJob job, long now) {
    if (job.expired(now)) {
      return JobFailures.expired();
    }
    return job.cancelled() ? JobFailures.cancelled() : null;
  }

  private static List<InferenceJob> dropUnwanted(List<InferenceJob> jobs, long now) {
    List<InferenceJob> live = jobs;
    for (int i = 0; i < jobs.size(); i++) {
      InferenceJob job = jobs.get(i);
      RuntimeException reason = unwanted(job, now);
      if (reason != null) {
        if (live == jobs) {
          live = new ArrayList<>(jobs.subList(0, i));
        }
        job.keepFailure(reason);
      } else if (live != jobs) {
        live.add(job);
      }
    }
    return live;
  }
}
