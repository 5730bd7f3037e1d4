package dev.agora.inference.batching;

/**
 * One model execution as {@link ExecutionSlots} runs it, in two steps: {@link #run} holds a slot,
 * {@link #deliver} runs after the slot is given back. Answers go out in the second step, so a
 * caller whose next request follows its answer at once finds the slot (and its version's in-flight
 * count) already free, and is not queued behind an execution that only has answers left to send.
 */
@FunctionalInterface
interface Execution {
  /** Runs the model and keeps each job's outcome for {@link #deliver}; never throws. */
  void run();

  /** Hands the kept outcomes to their callers; nothing to hand over by default. */
  default void deliver() {}
}
