package dev.agora.registry.store.embedded;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.MetadataStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMetadataStoreContractTest extends MetadataStoreContractTest {
  @TempDir Path directory;

  @Override
  protected MetadataStore newStore() {
    return EmbeddedMetadataStore.open(directory.resolve("metadata"));
  }
}
