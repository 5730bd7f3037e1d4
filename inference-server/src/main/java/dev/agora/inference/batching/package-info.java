/**
 * Scheduling of inference executions per model version, after Triton's schedulers. Every loaded
 * version has one {@link dev.agora.inference.batching.Scheduler}: the {@link
 * dev.agora.inference.batching.DynamicBatcher} for models whose inputs and outputs all have a
 * dynamic first dimension, which coalesces queued requests into one execution of up to {@code
 * max_batch_size} rows (or whatever waited {@code max_queue_delay}) and splits the outputs back by
 * rows; and the {@link dev.agora.inference.batching.DirectScheduler}, which runs each request on
 * its own. Both run executions on the bounded execution pool, drop requests whose deadline passed
 * or whose caller cancelled while they waited, and fail exactly the requests of an execution that
 * fails. Time and delays are injected ({@link dev.agora.inference.batching.Ticker}, {@link
 * dev.agora.inference.batching.DelayTimer}) so the batching rules are tested without sleeping.
 */
package dev.agora.inference.batching;
