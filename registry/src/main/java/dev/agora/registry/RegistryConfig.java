package dev.agora.registry;

import dev.agora.registry.catalog.GovernanceConfig;
import dev.agora.registry.store.etcd.EtcdConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The registry's settings.
 *
 * @param dataDir the directory that holds the metadata store ({@code <dataDir>/metadata}) and the
 *     artifacts ({@code <dataDir>/blobs})
 * @param maxArtifactBytes the largest artifact an upload may carry; at most {@value
 *     #ARTIFACT_BYTES_CEILING}, since a single ONNX protobuf file cannot exceed 2 GiB
 * @param maxChunkBytes the largest chunk in one upload message, and the size of download chunks
 * @param etcd the etcd cluster holding the metadata; without endpoints (the default) the metadata
 *     lives in the embedded store under {@code dataDir}
 * @param governance the lifecycle settings (the deprecation notice period)
 */
public record RegistryConfig(
    Path dataDir,
    long maxArtifactBytes,
    int maxChunkBytes,
    EtcdConfig etcd,
    GovernanceConfig governance) {
  /** The default artifact limit: 1 GiB. */
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 1L << 30;

  /** The default chunk size: 1 MiB. */
  public static final int DEFAULT_MAX_CHUNK_BYTES = 1 << 20;

  /** The largest allowed artifact limit: the largest array the JVM reliably allocates. */
  public static final long ARTIFACT_BYTES_CEILING = Integer.MAX_VALUE - 8;

  /** The largest allowed chunk: 4 MiB, gRPC's default message limit. */
  public static final int CHUNK_BYTES_CEILING = 4 << 20;

  /** Validates every setting. */
  public RegistryConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("registry dataDir is required");
    }
    if (maxArtifactBytes < 1 || maxArtifactBytes > ARTIFACT_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "registry maxArtifactBytes must be between 1 and "
              + ARTIFACT_BYTES_CEILING
              + " (an ONNX file cannot exceed 2 GiB), got "
              + maxArtifactBytes);
    }
    if (maxChunkBytes < 1 || maxChunkBytes > CHUNK_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "registry maxChunkBytes must be between 1 and "
              + CHUNK_BYTES_CEILING
              + " (gRPC's default message limit), got "
              + maxChunkBytes);
    }
    Objects.requireNonNull(etcd, "registry etcd settings");
    Objects.requireNonNull(governance, "registry governance settings");
  }

  /** Settings with the default governance. */
  public RegistryConfig(Path dataDir, long maxArtifactBytes, int maxChunkBytes, EtcdConfig etcd) {
    this(dataDir, maxArtifactBytes, maxChunkBytes, etcd, GovernanceConfig.defaults());
  }

  /** Settings with the embedded metadata store. */
  public RegistryConfig(Path dataDir, long maxArtifactBytes, int maxChunkBytes) {
    this(dataDir, maxArtifactBytes, maxChunkBytes, EtcdConfig.defaults());
  }

  /** The defaults: 1 GiB artifacts, 1 MiB chunks, everything under {@code dataDir}. */
  public static RegistryConfig defaults(Path dataDir) {
    return new RegistryConfig(dataDir, DEFAULT_MAX_ARTIFACT_BYTES, DEFAULT_MAX_CHUNK_BYTES);
  }

  /** This configuration with another artifact limit. */
  public RegistryConfig withMaxArtifactBytes(long bytes) {
    return new RegistryConfig(dataDir, bytes, maxChunkBytes, etcd, governance);
  }

  /** This configuration with another chunk limit. */
  public RegistryConfig withMaxChunkBytes(int bytes) {
    return new RegistryConfig(dataDir, maxArtifactBytes, bytes, etcd, governance);
  }

  /** This configuration with the metadata in etcd (or embedded, for settings without endpoints). */
  public RegistryConfig withEtcd(EtcdConfig settings) {
    return new RegistryConfig(dataDir, maxArtifactBytes, maxChunkBytes, settings, governance);
  }

  /** This configuration with other governance settings. */
  public RegistryConfig withGovernance(GovernanceConfig settings) {
    return new RegistryConfig(dataDir, maxArtifactBytes, maxChunkBytes, etcd, settings);
  }

  /** Where the embedded metadata store lives (unused when etcd is configured). */
  public Path metadataDir() {
    return dataDir.resolve("metadata");
  }

  /** Where the blob store lives. */
  public Path blobDir() {
    return dataDir.resolve("blobs");
  }
}
