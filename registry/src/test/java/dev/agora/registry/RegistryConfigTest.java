package dev.agora.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
  private static final Path DATA = Path.of("/var/lib/agora");

  @Test
  void defaultsAreOneGibibyteArtifactsAndOneMebibyteChunks() {
    RegistryConfig config = RegistryConfig.defaults(DATA);
    assertThat(config.dataDir()).isEqualTo(DATA);
    assertThat(config.maxArtifactBytes()).isEqualTo(1L << 30);
    assertThat(config.maxChunkBytes()).isEqualTo(1 << 20);
    assertThat(config.metadataDir()).isEqualTo(DATA.resolve("metadata"));
    assertThat(config.blobDir()).isEqualTo(DATA.resolve("blobs"));
  }

  @Test
  void withersChangeOneSetting() {
    RegistryConfig config =
        RegistryConfig.defaults(DATA).withMaxArtifactBytes(10).withMaxChunkBytes(5);
    assertThat(config).isEqualTo(new RegistryConfig(DATA, 10, 5));
  }

  @Test
  void refusesAMissingDataDir() {
    assertThatThrownBy(() -> RegistryConfig.defaults(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataDir");
  }

  @Test
  void refusesArtifactLimitsOutsideTheOnnxRange() {
    assertThatThrownBy(() -> new RegistryConfig(DATA, 0, 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxArtifactBytes");
    assertThatThrownBy(() -> new RegistryConfig(DATA, 3L << 30, 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 GiB");
    assertThat(new RegistryConfig(DATA, RegistryConfig.ARTIFACT_BYTES_CEILING, 1024)).isNotNull();
  }

  @Test
  void refusesChunkLimitsOutsideGrpcsMessageLimit() {
    assertThatThrownBy(() -> new RegistryConfig(DATA, 1024, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChunkBytes");
    assertThatThrownBy(() -> new RegistryConfig(DATA, 1024, (4 << 20) + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChunkBytes");
  }
}
