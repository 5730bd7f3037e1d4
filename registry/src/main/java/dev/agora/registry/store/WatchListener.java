package dev.agora.registry.store;

/**
 * Receives the changes a {@link Watch} delivers. Calls for one watch never overlap and arrive in
 * revision order; they run on a thread the store owns, never on a writer's thread.
 */
public interface WatchListener {

  /** A key matching the watch's prefix changed. */
  void onEvent(WatchEvent event);

  /**
   * The history the watch needed was discarded: revisions before {@code compactRevision} are gone.
   * The watch has ended; reload current state with a range read and watch again from the revision
   * that read returned plus one.
   */
  void onCompacted(long compactRevision);

  /** The watch ended because of a failure (including an exception thrown by this listener). */
  void onError(Throwable failure);
}
