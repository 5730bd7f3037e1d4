package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.testing.etcd.EtcdExtension;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry replicas on one etcd, as in a scale-out deployment: each sees the other's writes
 * through the registry's gRPC API and follows them in its change feed. They share the artifact
 * directory (a shared volume), since the file blob store is per machine.
 */
class EtcdRegistryReplicasIT {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  @TempDir Path sharedData;

  @Test
  void eachReplicaSeesTheOthersWrites() throws Exception {
    EtcdConfig store =
        EtcdConfig.defaults()
            .withEndpoints(List.of(etcd.endpoint()))
            .withNamespace("/replicas-" + UUID.randomUUID() + "/");
    RegistryConfig config = RegistryConfig.defaults(sharedData).withEtcd(store);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (RegistryHarness first = RegistryHarness.start(config, clock);
        RegistryHarness second = RegistryHarness.start(config, clock)) {
      Model created = first.createModel("shared");
      Model seen =
          second.blocking().getModel(GetModelRequest.newBuilder().setName("shared").build());
      assertThat(seen).isEqualTo(created);

      ModelVersion uploaded = second.upload("shared", "1.0.0", TestModels.mlp());
      assertThat(first.getVersion("shared", "1.0.0")).isEqualTo(uploaded);
      assertThat(first.download("shared", "1.0.0")).isEqualTo(TestModels.mlp());

      long written = second.registry.metadataStore().currentRevision();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> first.registry.changeFeed().revision() >= written);

      assertThatThrownBy(() -> second.createModel("shared"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
      assertThat(first.createModel("other").getName()).isEqualTo("other");
    }
  }
}
