package dev.agora.inference.runtime;

import java.util.Locale;
import java.util.Set;

/**
 * How a runtime opens each model version, validated on construction. Engine-neutral: the ONNX
 * Runtime adapter maps these onto its session options.
 *
 * @param intraOpThreads threads one operator may use; 0 lets the engine decide (usually one per
 *     core, which oversubscribes the machine when several requests run at once)
 * @param interOpThreads threads that run independent operators of one graph concurrently; 1 runs
 *     the graph's operators one after another (sequential execution)
 * @param optimizationLevel graph optimizations: {@code none}, {@code basic}, {@code extended} or
 *     {@code all} (case-insensitive)
 * @param memoryArena whether the engine keeps freed CPU memory in an arena for reuse (faster, but
 *     the arena only grows)
 */
public record SessionSettings(
    int intraOpThreads, int interOpThreads, String optimizationLevel, boolean memoryArena) {

  /** The optimization level names, lower case. */
  public static final Set<String> OPTIMIZATION_LEVELS = Set.of("none", "basic", "extended", "all");

  /** Validates every setting. */
  public SessionSettings {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must not be negative (0 = automatic)");
    }
    if (interOpThreads < 1) {
      throw new IllegalArgumentException("interOpThreads must be at least 1 (1 = sequential)");
    }
    if (!isOptimizationLevel(optimizationLevel)) {
      throw new IllegalArgumentException(
          "optimizationLevel must be none, basic, extended or all, not '"
              + optimizationLevel
              + "'");
    }
  }

  /** One intra-op thread, sequential execution, all optimizations, the memory arena on. */
  public static SessionSettings defaults() {
    return new SessionSettings(1, 1, "all", true);
  }

  /** Whether {@code name} names an optimization level. */
  public static boolean isOptimizationLevel(String name) {
    return name != null && OPTIMIZATION_LEVELS.contains(name.toLowerCase(Locale.ROOT));
  }
}
