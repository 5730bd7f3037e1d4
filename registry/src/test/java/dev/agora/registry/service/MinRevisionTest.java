package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.ListAuditEventsRequest;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.store.Txn;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads with min_revision: served at once, after waiting for the store, or refused in time. */
class MinRevisionTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-09-01T00:00:00Z")));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static GetModelRequest get(String name, long minRevision) {
    return GetModelRequest.newBuilder().setName(name).setMinRevision(minRevision).build();
  }

  @Test
  void aReadAtAWritesRevisionIsServedAtOnce() {
    Model created = registry.createModel("fresh");
    assertThat(registry.blocking().getModel(get("fresh", created.getRevision())))
        .isEqualTo(created);
    long published = registry.upload("fresh", "1.0.0", TestModels.mlp()).getRevision();
    assertThat(
            registry
                .blocking()
                .listVersions(
                    ListVersionsRequest.newBuilder()
                        .setModel("fresh")
                        .setMinRevision(published)
                        .build())
                .getVersionsCount())
        .isOne();
  }

  @Test
  void aReadAheadOfTheStoreWaitsForTheWriteThatReachesIt() throws Exception {
    Model created = registry.createModel("later");
    long target = registry.registry.metadataStore().currentRevision() + 1;
    var pending =
        RegistryServiceGrpc.newFutureStub(registry.channel(RegistryHarness.ADMIN))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getModel(get("later", target));

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> !pending.isDone());
    registry
        .registry
        .metadataStore()
        .commit(Txn.builder().put("/agora/v1/test/unrelated", new byte[] {1}).build());

    await().atMost(Duration.ofSeconds(1)).until(pending::isDone);
    assertThat(registry.blocking().getModel(get("later", 0))).isEqualTo(created);
    assertThat(pending.get()).isEqualTo(created);
  }

  @Test
  void aReadStillBehindIsRefusedWithRetryInfoBeforeItsDeadline() {
    registry.createModel("behind");
    long farAhead = registry.registry.metadataStore().currentRevision() + 1000;
    long started = System.nanoTime();

    StatusRuntimeException refused =
        assertFailure(
            () ->
                RegistryServiceGrpc.newBlockingStub(registry.channel(RegistryHarness.ADMIN))
                    .withDeadlineAfter(700, TimeUnit.MILLISECONDS)
                    .getModel(get("behind", farAhead)),
            Status.Code.UNAVAILABLE,
            "STORE_UNAVAILABLE");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(700));
    assertThat(refused.getStatus().getDescription()).contains(Long.toString(farAhead));
    assertThat(
            StatusProto.fromThrowable(refused).getDetailsList().stream()
                .filter(detail -> detail.is(RetryInfo.class)))
        .singleElement()
        .extracting(Any::getTypeUrl)
        .asString()
        .endsWith("google.rpc.RetryInfo");
    assertFailure(
        () ->
            registry
                .audit()
                .listAuditEvents(
                    ListAuditEventsRequest.newBuilder().setMinRevision(farAhead).build()),
        Status.Code.UNAVAILABLE,
        "STORE_UNAVAILABLE");

    assertThat(registry.blocking().getModel(get("behind", 0)).getName()).isEqualTo("behind");
  }

  @Test
  void aNegativeRevisionIsInvalid() {
    registry.createModel("valid");
    assertThat(
            StatusDetails.violatedFields(
                assertFailure(
                    () -> registry.blocking().getModel(get("valid", -1)),
                    Status.Code.INVALID_ARGUMENT,
                    "INVALID_FIELD")))
        .containsExactly("min_revision");
    assertThat(registry.blocking().getModel(get("valid", 1)).getName()).isEqualTo("valid");
  }
}
