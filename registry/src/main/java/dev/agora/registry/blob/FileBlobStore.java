package dev.agora.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a directory: blobs live at {@code <root>/sha256/ab/abcdef…} (the first two
 * hex characters fan the files out), uploads are staged in {@code <root>/tmp/}. A sealed upload is
 * hard-linked into place, which fails instead of replacing an existing blob; where the file system
 * has no hard links it is moved atomically after a check. Staged files left by a crash are removed
 * when the store opens, so only one process may use a root.
 */
public final class FileBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(FileBlobStore.class);

  private final Path blobs;
  private final Path staging;

  private FileBlobStore(Path blobs, Path staging) {
    this.blobs = blobs;
    this.staging = staging;
  }

  /** Opens the store under {@code root}, creating its directories and clearing stale uploads. */
  public static FileBlobStore open(Path root) {
    Path blobs = root.resolve("sha256");
    Path staging = root.resolve("tmp");
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(staging);
      removeStaleUploads(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the blob directory " + root, e);
    }
    return new FileBlobStore(blobs, staging);
  }

  @Override
  public BlobWriter newWriter(long maxBytes) throws IOException {
    return new FileBlobWriter(staging, maxBytes, this::place);
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    return Files.newInputStream(pathOf(sha256));
  }

  @Override
  public boolean exists(String sha256) {
    return Files.isRegularFile(pathOf(sha256));
  }

  @Override
  public boolean delete(String sha256) throws IOException {
    return Files.deleteIfExists(pathOf(sha256));
  }

  /** Where the blob with this digest lives (whether or not it exists). */
  public Path pathOf(String sha256) {
    Sha256Hex.requireValid(sha256);
    return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  /** The directory that holds uploads until they are committed. */
  public Path stagingDirectory() {
    return staging;
  }

  private void place(Path staged, BlobRef ref) throws IOException {
    Path target = pathOf(ref.sha256());
    Files.createDirectories(target.getParent());
    try {
      Files.createLink(target, staged);
    } catch (FileAlreadyExistsException e) {
      log.debug("blob {} already stored; discarding the new copy", ref.sha256());
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (!Files.exists(target)) {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.deleteIfExists(staged);
    syncDirectory(target.getParent());
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot sync directory {}; relying on the file system", directory, e);
    }
  }

  private static void removeStaleUploads(Path staging) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(staging, "upload-*.part")) {
      for (Path path : stale) {
        Files.deleteIfExists(path);
        log.info("removed unfinished upload {}", path);
      }
    }
  }
}
