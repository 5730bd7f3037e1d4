package dev.agora.registry.store;

/**
 * A running watch. Closing it stops delivery: once {@link #close()} returns, at most the one
 * listener call already under way may still complete, and no later change is delivered.
 */
public interface Watch extends AutoCloseable {

  /** Stops the watch. Closing twice is harmless. */
  @Override
  void close();
}
