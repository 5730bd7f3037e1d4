package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.proto.inference.ServerLiveRequest;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop of {@code agora serve} over real sockets: health turns NOT_SERVING, both ports
 * refuse new calls, a call in flight (an open {@code ModelStreamInfer} stream) goes on and gets its
 * answers, and the stop completes as soon as it is done, well inside the grace period.
 */
class GracefulDrainIT {
  /** Far longer than the test may take: the stop must end because the call ended. */
  private static final Duration GRACE = Duration.ofMinutes(2);

  @TempDir Path dataDir;
  private final ExecutorService stopper = Executors.newSingleThreadExecutor();
  private ServeFixture serve;

  @AfterEach
  void stop() throws Exception {
    stopper.shutdownNow();
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void stopRefusesNewCallsLetsTheOneInFlightFinishThenCloses() throws Exception {
    serve = ServeFixture.start(dataDir, GRACE);
    int grpcPort = serve.server.grpcPort();
    Responses stream = new Responses();
    StreamObserver<ModelInferRequest> requests =
        serve.withKey(GRPCInferenceServiceGrpc.newStub(serve.channel)).modelStreamInfer(stream);
    requests.onNext(ServeFixture.mlpRequest(1, "FP32").toBuilder().setId("before").build());
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.answers.size() == 1);
    HealthWatch health = new HealthWatch();
    HealthGrpc.newStub(serve.channel).watch(HealthCheckRequest.getDefaultInstance(), health);
    await().atMost(Duration.ofSeconds(30)).until(() -> health.saw(ServingStatus.SERVING));
    try (KeepAliveHttp http = new KeepAliveHttp(serve.server.httpPort())) {
      assertThat(http.get("/v2/health/ready")).startsWith("HTTP/1.1 200");

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(serve.server::close, stopper);

      await().atMost(Duration.ofSeconds(30)).until(() -> health.saw(ServingStatus.NOT_SERVING));
      health.cancel();
      await().atMost(Duration.ofSeconds(30)).until(() -> newCallIsRefused(serve.server));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> connectionRefused(serve.server.httpPort()));
      assertThat(http.get("/v2/health/ready")).startsWith("HTTP/1.1 503");
      assertThat(stopping).as("the stream is still open").isNotDone();

      requests.onNext(ServeFixture.mlpRequest(2, "FP32").toBuilder().setId("during").build());
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.answers.size() == 2);
      requests.onCompleted();

      await().atMost(Duration.ofSeconds(30)).until(stream.completed::get);
      stopping.get(30, TimeUnit.SECONDS);
    }
    assertThat(stream.error.get()).isNull();
    assertThat(stream.answers)
        .extracting(ModelStreamInferResponse::getErrorMessage, r -> r.getInferResponse().getId())
        .containsExactly(tuple("", "before"), tuple("", "during"));
    assertThat(stream.answers.get(1).getInferResponse().getOutputs(0).getShapeList())
        .containsExactly(2L, 2L);
    assertThat(connectionRefused(grpcPort)).isTrue();
  }

  @Test
  void aStopWithNothingInFlightIsImmediate() throws Exception {
    serve = ServeFixture.start(dataDir, GRACE);
    serve.inference().modelInfer(ServeFixture.mlpRequest(1, "FP32"));

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(serve.server::close, stopper);

    stopping.get(30, TimeUnit.SECONDS);
    assertThat(serve.server.isReady()).isFalse();
    assertThat(connectionRefused(serve.server.httpPort())).isTrue();
    assertThatThrownBy(() -> serve.inference().serverLive(ServerLiveRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void openChangeFeedWatchesEndAtOnceNamingWhereToResumeSoTheyDoNotHoldTheStop() throws Exception {
    serve = ServeFixture.start(dataDir, GRACE);
    WatchObserver watch = new WatchObserver();
    serve
        .withKey(EventsServiceGrpc.newStub(serve.channel))
        .watch(WatchRequest.getDefaultInstance(), watch);
    await().atMost(Duration.ofSeconds(30)).until(() -> !watch.events.isEmpty());

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(serve.server::close, stopper);

    stopping.get(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> watch.ended.get() != null);
    Status ended = watch.ended.get();
    assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(ended.getDescription())
        .contains("shutting down", "watch again from revision " + (watch.lastRevision() + 1));
  }

  /** A change-feed watch that keeps what it receives and how it ended. */
  private static final class WatchObserver implements StreamObserver<Event> {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> ended = new AtomicReference<>();

    long lastRevision() {
      return events.get(events.size() - 1).getRevision();
    }

    @Override
    public void onNext(Event event) {
      events.add(event);
    }

    @Override
    public void onError(Throwable failure) {
      ended.set(Status.fromThrowable(failure));
    }

    @Override
    public void onCompleted() {
      ended.set(Status.OK);
    }
  }

  private static boolean newCallIsRefused(AgoraServer server) throws InterruptedException {
    ManagedChannel fresh = ServeFixture.channel(server);
    try {
      HealthGrpc.newBlockingStub(fresh)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    } finally {
      fresh.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static boolean connectionRefused(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }

  /** The answers of one ModelStreamInfer stream. */
  private static final class Responses implements StreamObserver<ModelStreamInferResponse> {
    final List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicBoolean completed = new AtomicBoolean();

    @Override
    public void onNext(ModelStreamInferResponse response) {
      answers.add(response);
    }

    @Override
    public void onError(Throwable failure) {
      error.set(failure);
      completed.set(true);
    }

    @Override
    public void onCompleted() {
      completed.set(true);
    }
  }

  /** A grpc.health.v1 Watch, as a load balancer holds one. */
  private static final class HealthWatch
      implements ClientResponseObserver<HealthCheckRequest, HealthCheckResponse> {
    private final List<ServingStatus> seen = new CopyOnWriteArrayList<>();
    private volatile ClientCallStreamObserver<HealthCheckRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
      call = requestStream;
    }

    boolean saw(ServingStatus status) {
      return seen.contains(status);
    }

    void cancel() {
      call.cancel("seen enough", null);
    }

    @Override
    public void onNext(HealthCheckResponse response) {
      seen.add(response.getStatus());
    }

    @Override
    public void onError(Throwable failure) {}

    @Override
    public void onCompleted() {}
  }

  /** One HTTP/1.1 connection kept open across requests, as a client's pool keeps it. */
  private static final class KeepAliveHttp implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    KeepAliveHttp(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out = socket.getOutputStream();
    }

    /** Sends {@code GET path} and reads the whole response; returns its status line. */
    String get(String path) throws IOException {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = in.readLine();
      int length = 0;
      for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
        if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(header.substring("content-length:".length()).trim());
        }
      }
      for (int i = 0; i < length; i++) {
        in.read();
      }
      return status;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
