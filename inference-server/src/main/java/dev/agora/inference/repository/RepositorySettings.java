package dev.agora.inference.repository;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelRepository} keeps models, validated on construction.
 *
 * @param cacheDir where verified artifacts are kept
 * @param latestVersionTtl how long the answer to "which version is latest" (or where an alias
 *     points) is reused while the server does not follow the catalog's change feed
 * @param memoryBudgetBytes the memory the open sessions may take together, by their {@link
 *     ModelFootprint} estimates; beyond it the least valuable versions are evicted
 * @param warmUp whether each version runs once on zeros before it serves (a version that fails this
 *     run is unavailable, with the reason)
 */
public record RepositorySettings(
    Path cacheDir, Duration latestVersionTtl, long memoryBudgetBytes, boolean warmUp) {

  /** Settings with warm-up on. */
  public RepositorySettings(Path cacheDir, Duration latestVersionTtl, long memoryBudgetBytes) {
    this(cacheDir, latestVersionTtl, memoryBudgetBytes, true);
  }

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
