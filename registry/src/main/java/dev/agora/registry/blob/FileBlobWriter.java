package dev.agora.registry.blob;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A {@link BlobWriter} that stages bytes in a temporary file of a {@link FileBlobStore}. */
final class FileBlobWriter implements BlobWriter {

  /** Moves a sealed temporary file into the store. */
  interface Placement {
    void place(Path staged, BlobRef ref) throws IOException;
  }

  private enum State {
    OPEN,
    SEALED,
    COMMITTED,
    ABORTED
  }

  private final Path staged;
  private final FileChannel channel;
  private final MessageDigest digest;
  private final long maxBytes;
  private final Placement placement;
  private long written;
  private State state = State.OPEN;
  private BlobRef sealed;

  FileBlobWriter(Path tempDirectory, long maxBytes, Placement placement) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("a blob limit cannot be negative, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.placement = placement;
    this.digest = sha256();
    this.staged = Files.createTempFile(tempDirectory, "upload-", ".part");
    this.channel = FileChannel.open(staged, StandardOpenOption.WRITE);
  }

  @Override
  public synchronized void write(ByteBuffer chunk) throws IOException {
    requireState(State.OPEN);
    int length = chunk.remaining();
    if (written + length > maxBytes) {
      abort();
      throw AgoraException.of(
          ErrorReason.ARTIFACT_TOO_LARGE,
          "The artifact is larger than the limit of " + maxBytes + " bytes.");
    }
    digest.update(chunk.duplicate());
    try {
      while (chunk.hasRemaining()) {
        channel.write(chunk);
      }
    } catch (IOException e) {
      abort();
      throw e;
    }
    written += length;
  }

  @Override
  public synchronized long bytesWritten() {
    return written;
  }

  @Override
  public synchronized BlobRef seal(String expectedSha256) throws IOException {
    requireState(State.OPEN);
    try {
      channel.force(true);
      channel.close();
    } catch (IOException e) {
      abort();
      throw e;
    }
    String actual = Sha256Hex.of(digest.digest());
    if (expectedSha256 != null && !expectedSha256.equals(actual)) {
      abort();
      throw AgoraException.builder(
              ErrorReason.DIGEST_MISMATCH,
              "The artifact's SHA-256 is " + actual + ", not the declared " + expectedSha256 + ".")
          .metadata("actual_sha256", actual)
          .build();
    }
    sealed = new BlobRef(actual, written);
    state = State.SEALED;
    return sealed;
  }

  @Override
  public synchronized InputStream openSealed() throws IOException {
    requireState(State.SEALED);
    return Files.newInputStream(staged);
  }

  @Override
  public synchronized BlobRef commit() throws IOException {
    requireState(State.SEALED);
    try {
      placement.place(staged, sealed);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
    state = State.COMMITTED;
    return sealed;
  }

  @Override
  public synchronized void abort() {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    try {
      channel.close();
    } catch (IOException ignored) {
      // The file is deleted next; a failed close changes nothing.
    }
    try {
      Files.deleteIfExists(staged);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete the staged upload " + staged, e);
    }
  }

  private void requireState(State expected) {
    if (state != expected) {
      throw new IllegalStateException(
          "this blob writer is " + state.name().toLowerCase() + ", not " + expected);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no SHA-256", e);
    }
  }
}
