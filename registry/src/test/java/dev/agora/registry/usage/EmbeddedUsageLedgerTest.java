package dev.agora.registry.usage;

import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The usage ledger contract on the embedded store (one process: one client). */
class EmbeddedUsageLedgerTest extends UsageLedgerContractTest {
  @TempDir Path directory;

  @Override
  protected MetadataStore newStore() {
    return EmbeddedMetadataStore.open(directory.resolve("metadata"));
  }

  @Override
  protected MetadataStore sameData(MetadataStore first) {
    return first;
  }
}
