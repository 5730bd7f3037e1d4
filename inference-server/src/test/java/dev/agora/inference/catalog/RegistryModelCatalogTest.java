package dev.agora.inference.catalog;

import static dev.agora.inference.fixtures.Requests.mlp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.InferenceServer;
import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.TensorSpec;
import dev.agora.testing.models.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog over the registry's gRPC API, against a fake registry service in process. */
class RegistryModelCatalogTest {
  static final Signature MLP =
      Signature.newBuilder()
          .addInputs(
              TensorSpec.newBuilder()
                  .setName("input")
                  .setDatatype("FP32")
                  .addShape(-1)
                  .addShape(32))
          .addOutputs(
              TensorSpec.newBuilder()
                  .setName("output")
                  .setDatatype("FP32")
                  .addShape(-1)
                  .addShape(2))
          .build();

  @TempDir Path dir;
  FakeRegistryService registry;
  Server server;
  ManagedChannel channel;
  RegistryModelCatalog catalog;

  @BeforeEach
  void startRegistry() throws Exception {
    registry =
        new FakeRegistryService()
            .add("mlp", "1.0.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
            .add("mlp", "1.1.0", Stage.STAGE_DEPRECATED, TestModels.mlp(), MLP)
            .add("mlp", "1.2.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
            .add("mlp", "2.0.0", Stage.STAGE_DRAFT, TestModels.mlp(), MLP)
            .add("a-draft-only", "0.1.0", Stage.STAGE_DRAFT, TestModels.mlp(), MLP)
            .add("b", "1.0.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
            .add("c", "1.0.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(registry).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    catalog = new RegistryModelCatalog(channel);
  }

  @AfterEach
  void stopRegistry() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void resolvesLatestPublishedVersionWithItsSignature() {
    PublishedVersion latest = catalog.resolve("mlp", "");

    assertThat(latest.model()).isEqualTo("mlp");
    assertThat(latest.version()).isEqualTo("1.2.0");
    assertThat(latest.sha256()).isEqualTo(FakeModelCatalog.sha256(TestModels.mlp()));
    assertThat(latest.sizeBytes()).isEqualTo(TestModels.mlp().length);
    assertThat(latest.signature().inputs())
        .containsExactly(new TensorSignature("input", Datatype.FP32, new long[] {-1, 32}));
    assertThat(latest.signature().outputs())
        .containsExactly(new TensorSignature("output", Datatype.FP32, new long[] {-1, 2}));
  }

  @Test
  void aWorkStealingPoolKeepsServingWhileOneOfItsThreadsWaitsForTheRegistry() throws Exception {
    CountDownLatch registryEntered = new CountDownLatch(1);
    CountDownLatch registryReleased = new CountDownLatch(1);
    ServerInterceptor slowRegistry =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            registryEntered.countDown();
            try {
              registryReleased.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return next.startCall(call, headers);
          }
        };
    String name = InProcessServerBuilder.generateName();
    Server slow =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(registry, slowRegistry))
            .build()
            .start();
    ManagedChannel slowChannel = InProcessChannelBuilder.forName(name).build();
    ForkJoinPool onePerProcessorOfOne = new ForkJoinPool(1);
    try {
      RegistryModelCatalog slowCatalog = new RegistryModelCatalog(slowChannel);
      Future<PublishedVersion> resolving =
          onePerProcessorOfOne.submit(() -> slowCatalog.resolve("mlp", ""));
      assertThat(registryEntered.await(10, TimeUnit.SECONDS)).isTrue();

      Future<String> next = onePerProcessorOfOne.submit(() -> "served");

      assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("served");
      assertThat(resolving.isDone()).isFalse();
      registryReleased.countDown();
      assertThat(resolving.get(10, TimeUnit.SECONDS).version()).isEqualTo("1.2.0");
    } finally {
      registryReleased.countDown();
      onePerProcessorOfOne.shutdownNow();
      slowChannel.shutdownNow();
      slow.shutdownNow();
    }
  }

  @Test
  void explicitVersionsMustBePublishedOrDeprecated() {
    assertThat(catalog.resolve("mlp", "1.0.0").version()).isEqualTo("1.0.0");
    assertThat(catalog.resolve("mlp", "1.1.0").version()).isEqualTo("1.1.0");
    assertThatThrownBy(() -> catalog.resolve("mlp", "2.0.0"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.VERSION_NOT_FOUND);
              assertThat(e.getMessage()).contains("'2.0.0'", "'mlp'", "is not published", "DRAFT");
            });
  }

  @Test
  void retiredVersionsAreRefusedNamingTheirSuccessor() {
    registry
        .add("mlp", "0.9.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
        .retire("mlp", "0.9.0", "1.2.0")
        .add("mlp", "0.8.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
        .retire("mlp", "0.8.0", "");

    assertThatThrownBy(() -> catalog.resolve("mlp", "0.9.0"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIFECYCLE_VIOLATION);
              assertThat(e.getMessage()).contains("retired", "successor 1.2.0");
              assertThat(e.metadata()).containsEntry("successor_version", "1.2.0");
              assertThat(e.preconditionViolations())
                  .singleElement()
                  .satisfies(v -> assertThat(v.type()).isEqualTo("VERSION_RETIRED"));
            });
    assertThatThrownBy(() -> catalog.resolve("mlp", "0.8.0"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIFECYCLE_VIOLATION);
              assertThat(e.metadata()).doesNotContainKey("successor_version");
            });
    assertThat(catalog.resolve("mlp", "1.1.0").version()).isEqualTo("1.1.0");
  }

  @Test
  void inferenceOnARetiredVersionIsAFailedPrecondition() {
    registry
        .add("mlp", "0.9.0", Stage.STAGE_PUBLISHED, TestModels.mlp(), MLP)
        .retire("mlp", "0.9.0", "1.2.0");
    try (InferenceServer inference =
        new InferenceServer(InProcessInference.config(dir.resolve("cache")), channel)) {
      inference.start();
      String name = InProcessServerBuilder.generateName();
      InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
      inference.services().forEach(builder::addService);
      Server front = builder.build();
      ManagedChannel client = InProcessChannelBuilder.forName(name).build();
      try {
        front.start();
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(client);
        assertThatThrownBy(
                () -> stub.modelInfer(mlp("mlp").toBuilder().setModelVersion("0.9.0").build()))
            .isInstanceOfSatisfying(
                io.grpc.StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
                  assertThat(e.getStatus().getDescription()).contains("successor 1.2.0");
                });
        assertThat(
                stub.modelInfer(mlp("mlp").toBuilder().setModelVersion("1.1.0").build())
                    .getModelVersion())
            .isEqualTo("1.1.0");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        client.shutdownNow();
        front.shutdownNow();
      }
    }
  }

  @Test
  void modelWithoutPublishedVersionIsNotFound() {
    assertThatThrownBy(() -> catalog.resolve("a-draft-only", ""))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.MODEL_NOT_FOUND);
              assertThat(e.getMessage()).contains("has no published version");
            });
  }

  @Test
  void keepsTheRegistryReasonAndSentence() {
    assertThatThrownBy(() -> catalog.resolve("nope", ""))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.MODEL_NOT_FOUND);
              assertThat(e.getMessage()).isEqualTo("Model 'nope' does not exist.");
            });
    assertThatThrownBy(() -> catalog.resolve("mlp", "9.0.0"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.VERSION_NOT_FOUND));
  }

  @Test
  void unreachableRegistryIsStoreUnavailable() {
    assertThatThrownBy(() -> catalog.resolve("flaky", ""))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.STORE_UNAVAILABLE));
  }

  @Test
  void listsEveryPageOfModelsAndPublishedVersions() {
    assertThat(catalog.listModels())
        .containsExactly(
            new CatalogModel("a-draft-only", ""),
            new CatalogModel("b", "1.0.0"),
            new CatalogModel("c", "1.0.0"),
            new CatalogModel("mlp", "1.2.0"));
    assertThat(catalog.listPublishedVersions("mlp")).containsExactly("1.2.0", "1.1.0", "1.0.0");
  }

  @Test
  void fetchesTheWholeArtifactAcrossChunks() throws Exception {
    Path target = dir.resolve("artifact.part");
    Files.write(target, new byte[] {9, 9, 9});

    catalog.fetchArtifact("mlp", "1.2.0", target);

    assertThat(TestModels.mlp().length).isGreaterThan(FakeRegistryService.CHUNK);
    assertThat(Files.readAllBytes(target)).isEqualTo(TestModels.mlp());
    assertThatThrownBy(() -> catalog.fetchArtifact("mlp", "7.0.0", target))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.VERSION_NOT_FOUND));
  }

  @Test
  void inferenceServerServesModelsFromTheRegistryChannel() {
    try (InferenceServer inference =
        new InferenceServer(InProcessInference.config(dir.resolve("cache")), channel)) {
      inference.start();
      String name = InProcessServerBuilder.generateName();
      InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
      inference.services().forEach(builder::addService);
      Server front = builder.build();
      ManagedChannel client = InProcessChannelBuilder.forName(name).build();
      try {
        front.start();
        ModelInferResponse response =
            GRPCInferenceServiceGrpc.newBlockingStub(client).modelInfer(mlp("mlp"));
        assertThat(response.getModelVersion()).isEqualTo("1.2.0");
        assertThat(response.getRawOutputContentsCount()).isEqualTo(1);
        assertThat(inference.isReady()).isTrue();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        client.shutdownNow();
        front.shutdownNow();
      }
    }
    assertThat(List.of(dir.resolve("cache/sha256").toFile().list()))
        .containsExactly(FakeModelCatalog.sha256(TestModels.mlp()) + ".onnx");
  }
}
