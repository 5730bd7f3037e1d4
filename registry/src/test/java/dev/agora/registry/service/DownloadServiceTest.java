package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.ArtifactChunk;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DownloadArtifact: chunking, flow control and corruption detection. */
class DownloadServiceTest {
  private static final int CHUNK = 64 * 1024;

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir).withMaxChunkBytes(CHUNK),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @Test
  void aClientReadingOneChunkAtATimeGetsEveryByte() {
    byte[] large = Artifacts.paddedMlp(3 * 1024 * 1024 + 123);
    registry.createModel("large");
    registry.upload("large", "1.0.0", large);

    List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    registry
        .async()
        .downloadArtifact(
            DownloadArtifactRequest.newBuilder().setModel("large").setVersion("1.0.0").build(),
            new ClientResponseObserver<DownloadArtifactRequest, ArtifactChunk>() {
              private ClientCallStreamObserver<DownloadArtifactRequest> call;

              @Override
              public void beforeStart(ClientCallStreamObserver<DownloadArtifactRequest> call) {
                this.call = call;
                call.disableAutoRequestWithInitial(1);
              }

              @Override
              public void onNext(ArtifactChunk chunk) {
                chunkSizes.add(chunk.getData().size());
                received.writeBytes(chunk.getData().toByteArray());
                call.request(1);
              }

              @Override
              public void onError(Throwable failure) {
                done.completeExceptionally(failure);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    RegistryHarness.await(done);

    assertThat(received.toByteArray()).isEqualTo(large);
    assertThat(chunkSizes).allSatisfy(size -> assertThat(size).isBetween(1, CHUNK));
    assertThat(chunkSizes).hasSize((large.length + CHUNK - 1) / CHUNK);
  }

  @Test
  void aBlobThatNoLongerMatchesItsDigestEndsTheStreamWithDataLoss() throws Exception {
    byte[] mlp = TestModels.mlp();
    registry.createModel("damaged");
    registry.upload("damaged", "1.0.0", mlp);
    byte[] tampered = mlp.clone();
    tampered[tampered.length / 2] ^= 0x5a;
    Path blob = registry.blobPath(Artifacts.sha256(mlp));
    blob.toFile().setWritable(true);
    Files.write(blob, tampered);

    assertFailure(
        () -> registry.download("damaged", "1.0.0"), Status.Code.DATA_LOSS, "ARTIFACT_CORRUPTED");

    Files.delete(blob);
    assertFailure(
        () -> registry.download("damaged", "1.0.0"), Status.Code.DATA_LOSS, "ARTIFACT_CORRUPTED");

    registry.upload("damaged", "1.1.0", Artifacts.mlpVariant("intact"));
    assertThat(registry.download("damaged", "1.1.0")).isEqualTo(Artifacts.mlpVariant("intact"));
  }
}
