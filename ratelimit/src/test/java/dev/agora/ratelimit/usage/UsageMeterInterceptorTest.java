package dev.agora.ratelimit.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelMetadataRequest;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelStreamInferResponse;
import dev.agora.ratelimit.auth.TrustedCallerInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meter in front of an inference service (a fake one: the service is not what is tested),
 * served in-process with a caller in the context as the authentication interceptor would put it.
 */
class UsageMeterInterceptorTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final RecordingSink sink = new RecordingSink();
  private UsageMeter meter;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    meter =
        new UsageMeter(
            UsageMeterConfig.defaults().withFlushInterval(Duration.ofHours(1)), sink, clock);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new FakeInference(),
                    meter.interceptor(),
                    new TrustedCallerInterceptor(UsageMeterTest.caller("fraud", "key1"))))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    meter.close();
  }

  @Test
  void unaryCallsCountOnceEachAndFailuresByTheirStatus() {
    var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    stub.modelInfer(request("scorer", "1.0.0"));
    stub.modelInfer(request("scorer", "1.0.0"));
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub.modelInfer(request("broken", "")));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("scorer").build());

    assertThat(meter.flush()).isTrue();

    assertThat(sink.totals())
        .containsOnlyKeys(key("scorer", "1.0.0"), key("broken", ""))
        .satisfies(
            totals -> {
              assertThat(totals.get(key("scorer", "1.0.0"))).containsExactly(2, 0);
              assertThat(totals.get(key("broken", ""))).containsExactly(1, 1);
            });
  }

  @Test
  void eachStreamRequestCountsWhenItsAnswerLeaves() throws Exception {
    CompletableFuture<List<ModelStreamInferResponse>> answers = new CompletableFuture<>();
    List<ModelStreamInferResponse> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    StreamObserver<ModelInferRequest> requests =
        GRPCInferenceServiceGrpc.newStub(channel)
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse response) {
                    received.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answers.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    answers.complete(received);
                  }
                });
    requests.onNext(request("scorer", "1.0.0"));
    requests.onNext(request("broken", "1.0.0"));
    requests.onNext(request("scorer", "1.0.0"));
    requests.onCompleted();
    assertThat(answers.get(10, TimeUnit.SECONDS)).hasSize(3);

    assertThat(meter.flush()).isTrue();

    assertThat(sink.totals().get(key("scorer", "1.0.0"))).containsExactly(2, 0);
    assertThat(sink.totals().get(key("broken", "1.0.0"))).containsExactly(1, 1);
  }

  @Test
  void streamRequestsLeftUnansweredWhenTheStreamFailsCountAsFailed() throws Exception {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests =
        GRPCInferenceServiceGrpc.newStub(channel)
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse response) {}

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(null);
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(null);
                  }
                });
    requests.onNext(request("scorer", "1.0.0"));
    requests.onNext(request("abort", "1.0.0"));
    ended.get(10, TimeUnit.SECONDS);

    assertThat(meter.flush()).isTrue();

    assertThat(sink.totals().get(key("scorer", "1.0.0"))).containsExactly(1, 0);
    assertThat(sink.totals().get(key("abort", "1.0.0"))).containsExactly(1, 1);
  }

  private static ModelInferRequest request(String model, String version) {
    return ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version).build();
  }

  private static UsageKey key(String model, String version) {
    return new UsageKey(
        LocalDate.parse("2026-03-10").toEpochDay(), "fraud", "key1", model, version);
  }

  /**
   * Answers every model but {@code broken} (NOT_FOUND, or an error message on a stream) and {@code
   * abort} (ends the stream with an error, without answering).
   */
  private static final class FakeInference
      extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(
        ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
      if (request.getModelName().equals("broken")) {
        responses.onError(Status.NOT_FOUND.withDescription("no such model").asRuntimeException());
        return;
      }
      responses.onNext(answer(request));
      responses.onCompleted();
    }

    @Override
    public void modelMetadata(
        ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
      responses.onNext(ModelMetadataResponse.newBuilder().setName(request.getName()).build());
      responses.onCompleted();
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(
        StreamObserver<ModelStreamInferResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ModelInferRequest request) {
          switch (request.getModelName()) {
            case "broken" ->
                responses.onNext(
                    ModelStreamInferResponse.newBuilder().setErrorMessage("no such model").build());
            case "abort" -> responses.onError(Status.INTERNAL.asRuntimeException());
            default ->
                responses.onNext(
                    ModelStreamInferResponse.newBuilder()
                        .setInferResponse(answer(request))
                        .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }

    private static ModelInferResponse answer(ModelInferRequest request) {
      return ModelInferResponse.newBuilder()
          .setModelName(request.getModelName())
          .setModelVersion("1.0.0")
          .build();
    }
  }
}
