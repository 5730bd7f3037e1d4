package dev.agora.registry.store.etcd;

import dev.agora.testing.etcd.EtcdExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Store settings for tests against the etcd an {@link EtcdExtension} runs. */
final class EtcdStores {
  private EtcdStores() {}

  /** Settings for {@code etcd} in a namespace no other test uses. */
  static EtcdConfig isolated(EtcdExtension etcd) {
    return EtcdConfig.defaults()
        .withEndpoints(List.of(etcd.endpoint()))
        .withNamespace("/test-" + UUID.randomUUID() + "/");
  }

  /** Like {@link #isolated}, with a call deadline long enough to ride out an etcd restart. */
  static EtcdConfig patient(EtcdExtension etcd) {
    return isolated(etcd)
        .withCallTimeout(Duration.ofSeconds(20))
        .withRetries(100, Duration.ofMillis(50), Duration.ofMillis(500));
  }
}
