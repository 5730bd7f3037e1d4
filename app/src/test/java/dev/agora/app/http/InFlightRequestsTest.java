package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {
  private final InFlightRequests inFlight = new InFlightRequests();
  private final ExecutorService waiter = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    waiter.shutdownNow();
  }

  @Test
  void admitsUntilDrainingThenRefuses() {
    assertThat(inFlight.begin()).isTrue();
    assertThat(inFlight.count()).isEqualTo(1);

    inFlight.drain();

    assertThat(inFlight.draining()).isTrue();
    assertThat(inFlight.begin()).isFalse();
    assertThat(inFlight.count()).isEqualTo(1);
  }

  @Test
  void awaitIdleReturnsWhenTheLastRequestIsAnswered() throws Exception {
    inFlight.begin();
    inFlight.begin();
    inFlight.drain();
    CompletableFuture<Boolean> idle =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return inFlight.awaitIdle(Duration.ofMinutes(2));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            waiter);

    inFlight.end(1);
    assertThat(idle).isNotDone();
    inFlight.end(1);

    await().atMost(Duration.ofSeconds(30)).until(idle::isDone);
    assertThat(idle.get()).isTrue();
    assertThat(inFlight.count()).isZero();
  }

  @Test
  void awaitIdleGivesUpAfterTheTimeout() throws Exception {
    inFlight.begin();

    assertThat(inFlight.awaitIdle(Duration.ofMillis(20))).isFalse();
    assertThat(inFlight.awaitIdle(Duration.ZERO)).isFalse();
  }

  @Test
  void aClosedConnectionAnswersForItsRequests() throws Exception {
    inFlight.begin();
    inFlight.begin();

    inFlight.end(2);

    assertThat(inFlight.awaitIdle(Duration.ZERO)).isTrue();
  }
}
