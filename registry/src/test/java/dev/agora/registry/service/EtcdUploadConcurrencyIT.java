package dev.agora.registry.service;

import dev.agora.registry.RegistryConfig;
import dev.agora.registry.store.etcd.EtcdConfig;
import dev.agora.testing.etcd.EtcdExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upload race on etcd; each repetition runs in a namespace of its own. */
class EtcdUploadConcurrencyIT extends UploadConcurrencyContract {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  @Override
  protected RegistryConfig config(Path dataDir) {
    return RegistryConfig.defaults(dataDir)
        .withEtcd(
            EtcdConfig.defaults()
                .withEndpoints(List.of(etcd.endpoint()))
                .withNamespace("/uploads-" + UUID.randomUUID() + "/"));
  }
}
