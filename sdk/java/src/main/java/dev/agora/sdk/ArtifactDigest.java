package dev.agora.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The sha256 (lower-case hex) and size of a file, as the registry's upload header expects. */
public record ArtifactDigest(String sha256, long sizeBytes) {

  /** Reads the file once to compute its digest and size. */
  public static ArtifactDigest of(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
    long size = 0;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        size += read;
      }
    }
    return new ArtifactDigest(HexFormat.of().formatHex(sha256.digest()), size);
  }
}
