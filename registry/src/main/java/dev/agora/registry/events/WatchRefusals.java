package dev.agora.registry.events;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.time.Duration;

/**
 * The failures that end a watch, each telling the client what to do next. RESYNC_REQUIRED carries
 * {@code current_revision}: re-list, then watch from it plus one.
 */
final class WatchRefusals {
  /** ErrorInfo metadata: the revision to re-list at and resume after. */
  static final String CURRENT_REVISION = "current_revision";

  /** ErrorInfo metadata: the oldest revision the feed can still resume from. */
  static final String OLDEST_REVISION = "oldest_revision";

  /** ErrorInfo metadata: why the events are gone: compacted, slow_consumer or restarted. */
  static final String CAUSE = "cause";

  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private WatchRefusals() {}

  /** The requested revision is older than anything the feed still holds. */
  static AgoraException compacted(long fromRevision, long currentRevision, long oldestRevision) {
    return resync(
            "Revision "
                + fromRevision
                + " is older than the change feed holds (from revision "
                + oldestRevision
                + " on)",
            currentRevision)
        .metadata(OLDEST_REVISION, Long.toString(oldestRevision))
        .metadata(CAUSE, "compacted")
        .build();
  }

  /** The watch's client read so slowly that the feed dropped events it had not sent yet. */
  static AgoraException slowConsumer(long currentRevision, long oldestRevision, int retained) {
    return resync(
            "This watch fell more than "
                + retained
                + " events behind because its client read too slowly",
            currentRevision)
        .metadata(OLDEST_REVISION, Long.toString(oldestRevision))
        .metadata(CAUSE, "slow_consumer")
        .build();
  }

  /** The feed took a new snapshot of the store and no longer holds what the watch needed. */
  static AgoraException restarted(long currentRevision, long oldestRevision) {
    return resync(
            "The change feed lost its place in the metadata store and restarted", currentRevision)
        .metadata(OLDEST_REVISION, Long.toString(oldestRevision))
        .metadata(CAUSE, "restarted")
        .build();
  }

  /** The feed lost the store and is reconnecting. */
  static AgoraException unavailable() {
    return AgoraException.builder(
            ErrorReason.STORE_UNAVAILABLE,
            "The change feed lost the metadata store and is reconnecting; watch again shortly.")
        .retryDelay(RETRY_DELAY)
        .build();
  }

  /** The key the watch was opened with was revoked while it ran. */
  static AgoraException keyRevoked(String keyId) {
    return AgoraException.builder(
            ErrorReason.UNAUTHENTICATED,
            "The API key this watch was opened with ("
                + keyId
                + ") has been revoked; watch again with a valid key.")
        .metadata("key_id", keyId)
        .build();
  }

  /** The registry is shutting down. */
  static AgoraException closed(long currentRevision) {
    return AgoraException.builder(
            ErrorReason.STORE_UNAVAILABLE,
            "The registry is shutting down; watch again from revision "
                + (currentRevision + 1)
                + " once it is back.")
        .metadata(CURRENT_REVISION, Long.toString(currentRevision))
        .retryDelay(RETRY_DELAY)
        .build();
  }

  private static AgoraException.Builder resync(String why, long currentRevision) {
    return AgoraException.builder(
            ErrorReason.RESYNC_REQUIRED,
            why
                + "; list the current state again, then watch from revision "
                + (currentRevision + 1)
                + ".")
        .metadata(CURRENT_REVISION, Long.toString(currentRevision));
  }
}
