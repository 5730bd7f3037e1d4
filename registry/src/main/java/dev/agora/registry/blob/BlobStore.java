package dev.agora.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Content-addressed blob storage. Blobs are immutable: once stored under a digest they are never
 * replaced. Implementations are thread-safe.
 */
public interface BlobStore {

  /** Starts a blob that may hold at most {@code maxBytes} bytes. */
  BlobWriter newWriter(long maxBytes) throws IOException;

  /**
   * Stores everything {@code in} yields, computing the digest while reading.
   *
   * @param expectedSha256 the digest the bytes must have, or null to accept any
   * @throws dev.agora.common.error.AgoraException with reason {@code ARTIFACT_TOO_LARGE} or {@code
   *     DIGEST_MISMATCH}; nothing is stored then
   */
  default BlobRef store(InputStream in, long maxBytes, String expectedSha256) throws IOException {
    try (BlobWriter writer = newWriter(maxBytes)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        writer.write(ByteBuffer.wrap(buffer, 0, read));
      }
      return writer.commit(expectedSha256);
    }
  }

  /**
   * Reads a blob.
   *
   * @throws java.nio.file.NoSuchFileException when no blob has that digest
   */
  InputStream open(String sha256) throws IOException;

  /** Whether a blob with this digest is stored. */
  boolean exists(String sha256);

  /**
   * Removes a blob. Only for cleaning up a blob that no model version references.
   *
   * @return whether a blob was removed
   */
  boolean delete(String sha256) throws IOException;
}
