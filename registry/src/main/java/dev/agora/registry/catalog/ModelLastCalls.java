package dev.agora.registry.catalog;

import java.time.Instant;
import java.util.Optional;

/** When consumers last called each model, as inference servers report it. */
@FunctionalInterface
public interface ModelLastCalls {

  /** The end of the latest reported call to {@code model}, or empty when none was reported. */
  Optional<Instant> lastCall(String model);
}
