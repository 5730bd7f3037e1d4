package dev.agora.sdk;

import dev.agora.proto.registry.v1.Event;

/**
 * Receives what an {@link EventWatch} follows. Calls for one watch never overlap and arrive in
 * revision order; they run on gRPC's threads, so keep them short or hand work off.
 */
public interface EventHandler {

  /** One event, PROGRESS events included (their revision says how far the watch has come). */
  void onEvent(Event event);

  /**
   * The registry no longer holds the events that follow the last one delivered (its history was
   * compacted, it restarted, or this client read too slowly). Re-list the state you follow before
   * returning; the watch then continues with the changes after {@code currentRevision}.
   */
  void onResync(long currentRevision);

  /** The watch ended for good with a failure that retrying cannot fix. */
  default void onFailure(AgoraClientException failure) {}
}
