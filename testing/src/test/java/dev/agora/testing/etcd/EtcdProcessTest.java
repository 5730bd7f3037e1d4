package dev.agora.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdProcessTest {
  @TempDir Path dir;

  @Test
  void aMissingBinaryFailsWithTheInstallHint() {
    EtcdProcessConfig missing = EtcdProcessConfig.defaults().withBinary(dir.resolve("no-etcd"));
    assertThatThrownBy(() -> EtcdProcess.start(missing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-etcd")
        .hasMessageContaining("scripts/install-prereqs.sh")
        .hasMessageContaining("etcd-server");
  }

  @Test
  void aNonPositiveStartTimeoutIsRefused() {
    assertThatThrownBy(() -> new EtcdProcessConfig(dir, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startTimeout");
    assertThat(new EtcdProcessConfig(dir, Duration.ofSeconds(1)).binary()).isEqualTo(dir);
  }

  @Test
  void freePortsAreDistinct() {
    assertThat(LoopbackPorts.free(4)).doesNotHaveDuplicates().allMatch(port -> port > 0);
  }
}
