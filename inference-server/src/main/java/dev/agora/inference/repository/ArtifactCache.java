package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.proto.errors.v1.ErrorReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed local copies of model artifacts under {@code <cacheDir>/sha256/<hex>.onnx}. A
 * download goes to a temporary file in the same directory, is verified against the recorded SHA-256
 * (and size), and only then moved into place atomically; a cached file is verified again before
 * every use. Nothing unverified is ever handed to a runtime.
 */
final class ArtifactCache {
  private static final Logger log = LoggerFactory.getLogger(ArtifactCache.class);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int BUFFER_BYTES = 1 << 16;

  private final ModelCatalog catalog;
  private final Path directory;

  ArtifactCache(ModelCatalog catalog, Path cacheDir) {
    this.catalog = catalog;
    this.directory = cacheDir.resolve("sha256");
  }

  /** The verified local file of {@code version}, downloading it when needed. */
  Path ensure(PublishedVersion version) {
    String expected = version.sha256();
    if (!SHA256_HEX.matcher(expected).matches()) {
      throw corrupted(version, "its recorded digest '" + expected + "' is not a SHA-256");
    }
    Path target = directory.resolve(expected + ".onnx");
    try {
      if (Files.exists(target)) {
        if (digest(target).equals(expected)) {
          return target;
        }
        log.warn("cached artifact {} is damaged; fetching it again", target);
        Files.deleteIfExists(target);
      }
      return download(version, target);
    } catch (IOException failure) {
      throw AgoraException.builder(
              ErrorReason.INTERNAL_ERROR,
              "The inference server could not use its artifact cache for " + version.label() + ".")
          .cause(failure)
          .build();
    }
  }

  private Path download(PublishedVersion version, Path target) throws IOException {
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, version.sha256(), ".part");
    try {
      catalog.fetchArtifact(version.model(), version.version(), temp);
      long size = Files.size(temp);
      if (version.sizeBytes() > 0 && size != version.sizeBytes()) {
        throw corrupted(
            version,
            "it downloaded as " + size + " bytes, not the recorded " + version.sizeBytes());
      }
      String actual = digest(temp);
      if (!actual.equals(version.sha256())) {
        throw corrupted(
            version, "its bytes hash to " + actual + ", not the recorded " + version.sha256());
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String digest(Path file) throws IOException {
    MessageDigest sha256 = sha256();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        sha256.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java runtime provides SHA-256", impossible);
    }
  }

  private static AgoraException corrupted(PublishedVersion version, String why) {
    return AgoraException.of(
        ErrorReason.ARTIFACT_CORRUPTED,
        "The artifact of " + version.label() + " cannot be trusted: " + why + ".");
  }
}
