package dev.agora.registry.artifact;

/** Validates an artifact and describes it. Implementations are thread-safe. */
public interface ArtifactInspector {

  /**
   * Checks the artifact and reads its signature.
   *
   * @param artifact the whole artifact
   * @throws dev.agora.common.error.AgoraException with reason {@code INVALID_ARTIFACT} and a
   *     sentence saying what is wrong when the artifact is refused
   */
  InspectedArtifact inspect(byte[] artifact);
}
