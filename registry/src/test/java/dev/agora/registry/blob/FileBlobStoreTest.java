package dev.agora.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
  private static final long LIMIT = 1 << 20;

  @TempDir Path root;
  private FileBlobStore blobs;

  @BeforeEach
  void open() {
    blobs = FileBlobStore.open(root);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private long stagedFiles() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
      return files.count();
    }
  }

  /** Writes {@code bytes} in uneven chunks, as an upload would deliver them. */
  private static void writeInChunks(BlobWriter writer, byte[] bytes) throws IOException {
    int offset = 0;
    int chunk = 1;
    while (offset < bytes.length) {
      int length = Math.min(chunk, bytes.length - offset);
      writer.write(ByteBuffer.wrap(bytes, offset, length));
      offset += length;
      chunk = chunk * 3 + 7;
    }
  }

  @Test
  void computesTheDigestWhileStreamingAndStoresUnderTheShardedPath() throws Exception {
    byte[] bytes = randomBytes(200_000, 1);
    BlobRef ref;
    try (BlobWriter writer = blobs.newWriter(LIMIT)) {
      writeInChunks(writer, bytes);
      assertThat(writer.bytesWritten()).isEqualTo(bytes.length);
      ref = writer.commit(null);
    }

    String expected = sha256(bytes);
    assertThat(ref).isEqualTo(new BlobRef(expected, bytes.length));
    Path stored = root.resolve("sha256").resolve(expected.substring(0, 2)).resolve(expected);
    assertThat(stored).isRegularFile();
    assertThat(blobs.pathOf(expected)).isEqualTo(stored);
    assertThat(Files.readAllBytes(stored)).isEqualTo(bytes);
    assertThat(blobs.exists(expected)).isTrue();
    try (InputStream in = blobs.open(expected)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void sealedBytesCanBeReadBeforeTheyBecomeVisible() throws Exception {
    byte[] bytes = randomBytes(5000, 2);
    String sha = sha256(bytes);
    try (BlobWriter writer = blobs.newWriter(LIMIT)) {
      writer.write(bytes);
      assertThat(writer.seal(sha)).isEqualTo(new BlobRef(sha, bytes.length));
      try (InputStream staged = writer.openSealed()) {
        assertThat(staged.readAllBytes()).isEqualTo(bytes);
      }
      assertThat(blobs.exists(sha)).isFalse();
      writer.commit();
    }
    assertThat(blobs.exists(sha)).isTrue();
  }

  @Test
  void aDigestMismatchIsRefusedAndLeavesNothing() throws Exception {
    byte[] bytes = randomBytes(5000, 3);
    String wrong = sha256(randomBytes(5000, 4));
    BlobWriter writer = blobs.newWriter(LIMIT);
    writer.write(bytes);

    assertThatThrownBy(() -> writer.commit(wrong))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.DIGEST_MISMATCH);
              assertThat(e.getMessage()).contains(wrong).contains(sha256OrFail(bytes));
            });
    assertThat(blobs.exists(sha256(bytes))).isFalse();
    assertThat(blobs.exists(wrong)).isFalse();
    assertThat(stagedFiles()).isZero();
    assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void moreThanTheLimitIsRefusedAndLeavesNothing() throws Exception {
    BlobWriter writer = blobs.newWriter(10_000);
    writer.write(new byte[6000]);
    assertThat(stagedFiles()).isOne();

    assertThatThrownBy(() -> writer.write(new byte[4001]))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.ARTIFACT_TOO_LARGE));
    assertThat(stagedFiles()).isZero();
    assertThatThrownBy(() -> writer.write(new byte[1])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void exactlyTheLimitIsAccepted() throws Exception {
    try (BlobWriter writer = blobs.newWriter(10_000)) {
      writer.write(new byte[6000]);
      writer.write(new byte[4000]);
      assertThat(writer.commit(null).sizeBytes()).isEqualTo(10_000);
    }
  }

  @Test
  void abortAndCloseDiscardTheStagedFile() throws Exception {
    BlobWriter aborted = blobs.newWriter(LIMIT);
    aborted.write(randomBytes(100, 5));
    aborted.abort();
    aborted.abort();

    BlobWriter sealedThenClosed = blobs.newWriter(LIMIT);
    sealedThenClosed.write(randomBytes(100, 6));
    String sha = sealedThenClosed.seal(null).sha256();
    sealedThenClosed.close();

    assertThat(stagedFiles()).isZero();
    assertThat(blobs.exists(sha)).isFalse();
  }

  @Test
  void anExistingBlobIsNeverReplaced() throws Exception {
    byte[] bytes = randomBytes(3000, 7);
    String sha = blobs.store(new ByteArrayInputStream(bytes), LIMIT, null).sha256();
    Object fileKey = attributes(sha).fileKey();
    java.nio.file.attribute.FileTime modified = attributes(sha).lastModifiedTime();

    BlobRef again = blobs.store(new ByteArrayInputStream(bytes), LIMIT, sha);

    assertThat(again.sha256()).isEqualTo(sha);
    assertThat(attributes(sha).fileKey()).isEqualTo(fileKey);
    assertThat(attributes(sha).lastModifiedTime()).isEqualTo(modified);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void deleteRemovesABlob() throws Exception {
    String sha = blobs.store(new ByteArrayInputStream(randomBytes(10, 8)), LIMIT, null).sha256();
    assertThat(blobs.delete(sha)).isTrue();
    assertThat(blobs.delete(sha)).isFalse();
    assertThat(blobs.exists(sha)).isFalse();
    assertThatThrownBy(() -> blobs.open(sha)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void digestsThatAreNotLowerCaseHexAreRefused() {
    String upper = "A".repeat(64);
    assertThatThrownBy(() -> blobs.exists(upper)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> blobs.open("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> blobs.delete("ab")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void openingRemovesUploadsLeftByACrash() throws Exception {
    BlobWriter abandoned = blobs.newWriter(LIMIT);
    abandoned.write(randomBytes(100, 9));
    Path unrelated = Files.writeString(root.resolve("tmp").resolve("keep.txt"), "not ours");
    assertThat(stagedFiles()).isEqualTo(2);

    FileBlobStore.open(root);

    try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
      assertThat(files).containsExactly(unrelated);
    }
  }

  @Test
  void theEmptyBlobHasTheWellKnownDigest() throws Exception {
    BlobRef empty = blobs.store(new ByteArrayInputStream(new byte[0]), LIMIT, null);
    assertThat(empty.sha256())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(empty.sizeBytes()).isZero();
    assertThat(Arrays.equals(Files.readAllBytes(blobs.pathOf(empty.sha256())), new byte[0]))
        .isTrue();
  }

  private BasicFileAttributes attributes(String sha) throws IOException {
    return Files.readAttributes(blobs.pathOf(sha), BasicFileAttributes.class);
  }

  private static String sha256OrFail(byte[] bytes) {
    try {
      return sha256(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
