package dev.agora.registry.blob;

/**
 * A stored (or staged) blob.
 *
 * @param sha256 the lower-case hex SHA-256 of the bytes
 * @param sizeBytes how many bytes the blob holds
 */
public record BlobRef(String sha256, long sizeBytes) {

  /** Checks the digest's form and the size. */
  public BlobRef {
    Sha256Hex.requireValid(sha256);
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("a blob size cannot be negative, got " + sizeBytes);
    }
  }
}
