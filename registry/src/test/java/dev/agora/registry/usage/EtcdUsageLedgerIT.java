package dev.agora.registry.usage;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.registry.store.etcd.EtcdMetadataStore;
import dev.agora.testing.etcd.EtcdExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The usage ledger contract on a real etcd, with a second client on the same namespace standing in
 * for a second registry replica.
 */
class EtcdUsageLedgerIT extends UsageLedgerContractTest {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private EtcdConfig config;

  @Override
  protected MetadataStore newStore() {
    config =
        EtcdConfig.defaults()
            .withEndpoints(List.of(etcd.endpoint()))
            .withNamespace("/test-" + UUID.randomUUID() + "/");
    return EtcdMetadataStore.connect(config);
  }

  @Override
  protected MetadataStore sameData(MetadataStore first) {
    return EtcdMetadataStore.connect(config);
  }
}
