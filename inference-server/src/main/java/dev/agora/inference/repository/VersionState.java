package dev.agora.inference.repository;

/** Where a model version is in its load cycle; the names are the ones Triton's index reports. */
public enum VersionState {
  /** The artifact is being fetched, verified or opened. */
  LOADING,
  /** The version serves requests. */
  READY,
  /** Loading failed; the status carries the reason. */
  UNAVAILABLE
}
