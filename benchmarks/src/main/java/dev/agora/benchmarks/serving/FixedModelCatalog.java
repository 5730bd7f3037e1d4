package dev.agora.benchmarks.serving;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.CatalogModel;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A catalog of one published model version held in memory, for benchmarks without a registry. */
final class FixedModelCatalog implements ModelCatalog {
  private final PublishedVersion version;
  private final byte[] artifact;

  FixedModelCatalog(String model, String version, byte[] artifact, ModelSignature signature) {
    this.artifact = artifact.clone();
    this.version =
        new PublishedVersion(model, version, sha256(artifact), artifact.length, signature);
  }

  @Override
  public PublishedVersion resolve(String model, String requested) {
    if (!model.equals(version.model())) {
      throw AgoraException.of(ErrorReason.MODEL_NOT_FOUND, "no model " + model);
    }
    if (!requested.isEmpty() && !requested.equals(version.version())) {
      throw AgoraException.of(ErrorReason.VERSION_NOT_FOUND, "no version " + requested);
    }
    return version;
  }

  @Override
  public String resolveAlias(String model, String alias) {
    throw AgoraException.of(
        ErrorReason.ALIAS_NOT_FOUND, "The benchmark catalog has no aliases ('" + alias + "').");
  }

  @Override
  public List<CatalogModel> listModels() {
    return List.of(new CatalogModel(version.model(), version.version()));
  }

  @Override
  public List<String> listPublishedVersions(String model) {
    return List.of(version.version());
  }

  @Override
  public void fetchArtifact(String model, String requested, Path target) {
    try {
      Files.write(target, artifact);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
