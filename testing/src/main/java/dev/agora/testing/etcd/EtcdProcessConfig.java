package dev.agora.testing.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EtcdProcess} launches etcd.
 *
 * @param binary the etcd executable
 * @param startTimeout how long a start or restart may take until {@code /health} reports healthy
 */
public record EtcdProcessConfig(Path binary, Duration startTimeout) {
  /** Where Debian's {@code etcd-server} package installs the binary. */
  public static final Path DEBIAN_BINARY = Path.of("/usr/bin/etcd");

  /** Checks the settings. */
  public EtcdProcessConfig {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("etcd startTimeout must be positive, got " + startTimeout);
    }
  }

  /** Debian's binary, 30 seconds to become healthy. */
  public static EtcdProcessConfig defaults() {
    return new EtcdProcessConfig(DEBIAN_BINARY, Duration.ofSeconds(30));
  }

  /** This configuration with another binary. */
  public EtcdProcessConfig withBinary(Path path) {
    return new EtcdProcessConfig(path, startTimeout);
  }
}
