package dev.agora.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Writes one blob in steps: {@link #write} chunks as they arrive, {@link #seal} to fix the digest,
 * optionally read the staged bytes back with {@link #openSealed()}, then {@link #commit()} to make
 * the blob visible or {@link #abort()} to discard it. Any refusal aborts the writer, so nothing is
 * left behind; closing a writer that was not committed aborts it too.
 *
 * <p>A writer is used by one caller at a time.
 */
public interface BlobWriter extends AutoCloseable {

  /**
   * Appends the chunk's remaining bytes and feeds them to the digest.
   *
   * @throws dev.agora.common.error.AgoraException with reason {@code ARTIFACT_TOO_LARGE} when the
   *     blob would exceed the writer's byte limit; the writer is then aborted
   */
  void write(ByteBuffer chunk) throws IOException;

  /** Appends bytes; see {@link #write(ByteBuffer)}. */
  default void write(byte[] bytes) throws IOException {
    write(ByteBuffer.wrap(bytes));
  }

  /** How many bytes were written so far. */
  long bytesWritten();

  /**
   * Ends writing and computes the digest.
   *
   * @param expectedSha256 the digest the bytes must have, or null to accept any
   * @throws dev.agora.common.error.AgoraException with reason {@code DIGEST_MISMATCH} when the
   *     bytes hash to something else; the writer is then aborted
   */
  BlobRef seal(String expectedSha256) throws IOException;

  /** Reads the sealed bytes back before they are committed. */
  InputStream openSealed() throws IOException;

  /**
   * Makes the sealed blob visible under its digest. When a blob with that digest already exists it
   * is kept as it is and the staged copy is discarded.
   */
  BlobRef commit() throws IOException;

  /** Seals with {@code expectedSha256} and commits. */
  default BlobRef commit(String expectedSha256) throws IOException {
    seal(expectedSha256);
    return commit();
  }

  /** Discards everything written; harmless after a commit or a previous abort. */
  void abort();

  /** Aborts unless committed. */
  @Override
  default void close() {
    abort();
  }
}
