package dev.agora.registry.service;

import dev.agora.registry.RegistryConfig;
import java.nio.file.Path;

/** The upload race on the embedded store. */
class UploadConcurrencyTest extends UploadConcurrencyContract {
  @Override
  protected RegistryConfig config(Path dataDir) {
    return RegistryConfig.defaults(dataDir);
  }
}
