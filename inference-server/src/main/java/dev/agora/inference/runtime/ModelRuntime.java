package dev.agora.inference.runtime;

import java.nio.file.Path;

/**
 * An engine that turns a verified model file into something that runs. Implementations own their
 * native resources and release them in {@link #close()}, after every model they loaded has been
 * closed.
 */
public interface ModelRuntime extends AutoCloseable {

  /**
   * Opens the model at {@code artifact}.
   *
   * @throws dev.agora.common.error.AgoraException {@code INVALID_ARTIFACT} when the engine cannot
   *     load or serve the file
   */
  LoadedModel load(Path artifact);

  /** Releases the engine. */
  @Override
  void close();
}
