package dev.agora.registry.catalog;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Sunset retirements on the embedded store; replicas share the one store, as they must. */
class EmbeddedSunsetRetirementsTest extends SunsetRetirementsContract {
  @TempDir Path directory;

  @Override
  protected MetadataStore openStore() {
    return EmbeddedMetadataStore.open(directory.resolve("metadata"));
  }

  @Override
  protected MetadataStore openReplicaStore(MetadataStore store) {
    return store;
  }
}
