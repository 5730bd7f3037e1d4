package dev.agora.registry.catalog;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.registry.store.etcd.EtcdMetadataStore;
import dev.agora.testing.etcd.EtcdExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sunset retirements on a real etcd, each test in a fresh namespace; the second replica is a second
 * etcd client on the same namespace, as another registry process would be.
 */
class EtcdSunsetRetirementsIT extends SunsetRetirementsContract {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private EtcdConfig settings;

  @Override
  protected MetadataStore openStore() {
    settings =
        EtcdConfig.defaults()
            .withEndpoints(List.of(etcd.endpoint()))
            .withNamespace("/sunset-" + UUID.randomUUID() + "/");
    return EtcdMetadataStore.connect(settings);
  }

  @Override
  protected MetadataStore openReplicaStore(MetadataStore store) {
    return EtcdMetadataStore.connect(settings);
  }
}
