package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.benchmarks.echo.BytesEcho;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loops against the echo over grpc-java's in-process transport: counts, not timings. */
class LoopsTest {
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private Server server;
  private ManagedChannel channel;
  private CallTarget<byte[], byte[]> echo;
  private EventExecutor sender;

  @BeforeEach
  void startEcho() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(BytesEcho.service()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    echo =
        new CallTarget<>(channel, BytesEcho.METHOD, new byte[] {1, 2, 3}, Duration.ofSeconds(30));
    sender = new DefaultEventExecutor();
  }

  @AfterEach
  void stopEcho() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    sender.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anOpenLoopMeasuresExactlyTheCallsScheduledInItsWindow() throws Exception {
    Measured measured =
        new OpenLoop(echo, sender)
            .run(1_000, 64, Duration.ofMillis(100), Duration.ofMillis(200), DRAIN);

    // 1000/s over 200 ms, whatever the machine's speed: the schedule decides, not the answers
    assertThat(measured.window().histogram().getTotalCount()).isEqualTo(200);
    assertThat(measured.window().errors()).isZero();
  }

  @Test
  void anOpenLoopAtItsInFlightLimitSendsTheRestAsAnswersComeBack() throws Exception {
    // one call at a time at a rate no server keeps up with: every scheduled call still goes out
    Measured measured =
        new OpenLoop(echo, sender).run(1_000_000, 1, Duration.ZERO, Duration.ofMillis(2), DRAIN);

    assertThat(measured.window().histogram().getTotalCount()).isEqualTo(2_000);
    assertThat(measured.window().errors()).isZero();
    assertThat(measured.maxSendLagNanos()).isPositive();
  }

  @Test
  void aClosedLoopMeasuresOnlySuccessfulCallsAndFinishesEveryLoop() throws Exception {
    Measured measured =
        new ClosedLoop(echo).run(4, Duration.ofMillis(50), Duration.ofMillis(200), DRAIN);

    assertThat(measured.window().histogram().getTotalCount()).isPositive();
    assertThat(measured.window().errors()).isZero();
    assertThat(measured.maxSendLagNanos()).isZero();
  }

  @Test
  void anAlternatingLoopMeasuresEachTargetInItsOwnWindow() throws Exception {
    CallTarget<byte[], byte[]> other =
        new CallTarget<>(channel, BytesEcho.METHOD, new byte[] {4, 5}, Duration.ofSeconds(30));

    // 300 ms in blocks of 100 ms: the first, the second, then the first target again
    List<Measured> measured =
        new AlternatingLoop(List.of(echo, other), Duration.ofMillis(100))
            .run(Duration.ZERO, Duration.ofMillis(300), DRAIN);

    long first = measured.get(0).window().histogram().getTotalCount();
    long second = measured.get(1).window().histogram().getTotalCount();
    assertThat(first).isPositive();
    assertThat(second).isPositive();
    assertThat(measured.get(0).window().errors() + measured.get(1).window().errors()).isZero();
  }

  @Test
  void failuresAreCountedByCode() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

    Measured measured =
        new OpenLoop(echo, sender).run(1_000, 64, Duration.ZERO, Duration.ofMillis(100), DRAIN);

    assertThat(measured.window().errors()).isEqualTo(100);
    assertThat(measured.window().errorsByCode()).containsOnlyKeys("UNAVAILABLE");
    assertThat(measured.window().histogram().getTotalCount()).isZero();
  }
}
