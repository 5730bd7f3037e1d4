package dev.agora.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Executions run on the caller when a slot is free, else wait for the pool, never more at once. */
class ExecutionSlotsTest {
  final ManualExecutor pool = new ManualExecutor();
  final List<String> ran = new ArrayList<>();

  @Test
  void aCallerRunsItsExecutionItselfWhenASlotIsFreeAndNothingWaits() {
    ExecutionSlots slots = ExecutionSlots.sharedWithCallers(pool, 1);
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();

    slots.runHereOrSubmit(() -> threads.add(Thread.currentThread()));

    assertThat(threads).containsExactly(caller);
    assertThat(pool.queued()).isZero();
  }

  @Test
  void anExecutionGivesItsSlotBackBeforeItDelivers() {
    ExecutionSlots slots = ExecutionSlots.sharedWithCallers(pool, 1);

    slots.runHereOrSubmit(
        new Execution() {
          @Override
          public void run() {
            ran.add("ran");
          }

          @Override
          public void deliver() {
            // what a caller does on receiving its answer: send the next request at once
            slots.runHereOrSubmit(() -> ran.add("next, on the caller"));
          }
        });

    assertThat(ran).containsExactly("ran", "next, on the caller");
    assertThat(pool.queued()).as("the slot was free for the next").isZero();
  }

  @Test
  void whileEverySlotIsBusyExecutionsWaitForThePoolInArrivalOrder() {
    ExecutionSlots slots = ExecutionSlots.sharedWithCallers(pool, 1);

    slots.runHereOrSubmit(
        () -> {
          ran.add("first, on the caller");
          slots.runHereOrSubmit(() -> ran.add("second"));
          assertThat(pool.queued()).as("the only slot is taken").isEqualTo(1);
        });
    slots.runHereOrSubmit(() -> ran.add("third"));
    assertThat(pool.queued())
        .as("the slot is free, but the second waits: no overtaking")
        .isEqualTo(2);
    assertThat(ran).containsExactly("first, on the caller");

    pool.runAll();
    assertThat(ran).containsExactly("first, on the caller", "second", "third");

    slots.runHereOrSubmit(() -> ran.add("fourth, on the caller again"));
    assertThat(pool.queued()).isZero();
    assertThat(ran).endsWith("fourth, on the caller again");
  }

  @Test
  void aFullPoolRefusesAndTheSlotsStayUsable() {
    ExecutionSlots slots = ExecutionSlots.sharedWithCallers(pool, 1);
    pool.refuse(true);
    slots.runHereOrSubmit(
        () ->
            assertThatThrownBy(() -> slots.runHereOrSubmit(() -> ran.add("refused")))
                .isInstanceOf(RejectedExecutionException.class));
    pool.refuse(false);

    slots.runHereOrSubmit(() -> ran.add("later, on the caller"));
    assertThat(ran).containsExactly("later, on the caller");
    assertThat(pool.queued()).isZero();
  }

  @Test
  void poolOnlyNeverRunsOnTheCaller() {
    ExecutionSlots slots = ExecutionSlots.poolOnly(pool);
    slots.runHereOrSubmit(() -> ran.add("pooled"));
    assertThat(ran).isEmpty();
    pool.runAll();
    assertThat(ran).containsExactly("pooled");
  }

  @Test
  void callersAndPoolThreadsTogetherNeverRunMoreExecutionsThanSlots() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      ExecutionSlots slots = ExecutionSlots.sharedWithCallers(threads, 2);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      AtomicInteger finished = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      Execution execution =
          () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            finished.incrementAndGet();
          };
      for (int i = 0; i < 6; i++) {
        callers.execute(() -> slots.runHereOrSubmit(execution));
      }
      await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() == 2);

      release.countDown();
      await().atMost(10, TimeUnit.SECONDS).until(() -> finished.get() == 6);
      assertThat(most.get()).isEqualTo(2);
    } finally {
      callers.shutdownNow();
      threads.shutdownNow();
    }
  }
}
