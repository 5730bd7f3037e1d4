package dev.agora.registry.store.etcd;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.MetadataStoreContractTest;
import dev.agora.testing.etcd.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metadata store contract against a real etcd. Each test gets a fresh namespace, which is how
 * an empty store looks on a shared etcd.
 */
class EtcdMetadataStoreContractIT extends MetadataStoreContractTest {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  @Override
  protected MetadataStore newStore() {
    return EtcdMetadataStore.connect(EtcdStores.isolated(etcd));
  }
}
