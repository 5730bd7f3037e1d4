package dev.agora.inference.repository;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelRepository} keeps models, validated on construction.
 *
 * @param cacheDir where verified artifacts are kept
 * @param latestVersionTtl how long the answer to "which version is latest" is reused
 * @param memoryBudgetBytes the memory the open sessions may take together, by their {@link
 *     ModelFootprint} estimates; beyond it the least valuable versions are evicted
 */
public record RepositorySettings(Path cacheDir, Duration latestVersionTtl, long memoryBudgetBytes) {

  /** Validates every setting. */
  public RepositorySettings {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(latestVersionTtl, "latestVersionTtl");
    if (latestVersionTtl.isNegative()) {
      throw new IllegalArgumentException("latestVersionTtl must not be negative");
    }
    if (memoryBudgetBytes < 1) {
      throw new IllegalArgumentException("memoryBudgetBytes must be positive");
    }
  }
}
