package dev.agora.app.publish;

import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.sdk.AgoraClient;
import dev.agora.sdk.AgoraClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Uploads an ONNX file to a running Agora server and publishes it, registering the model first when
 * it does not exist yet.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Upload an ONNX model file as a new version and publish it.")
public final class PublishCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE.onnx", description = "The ONNX model file.")
  Path file;

  @Option(names = "--model", required = true, description = "Model name, e.g. fraud-score.")
  String model;

  @Option(names = "--version", required = true, description = "Semantic version, e.g. 1.0.0.")
  String version;

  @Option(
      names = "--summary",
      defaultValue = "",
      description = "One-line summary used when the model is registered.")
  String summary;

  @Option(
      names = "--server",
      defaultValue = "127.0.0.1:8001",
      description = "Agora gRPC address (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(
      names = "--team",
      description = "Team that owns the model when it is registered (default: the key's team).")
  String team;

  @Option(
      names = "--api-key",
      defaultValue = "${env:AGORA_API_KEY}",
      description =
          "API key agora_<id>_<secret> (default: the AGORA_API_KEY environment variable).")
  String apiKey;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      System.err.println("agora publish: no such file: " + file);
      return 2;
    }
    if (apiKey == null || apiKey.isBlank()) {
      System.err.println(
          "agora publish: an API key is required: pass --api-key or set AGORA_API_KEY"
              + " (agora serve prints the administrator's key on its first start)");
      return 2;
    }
    try (AgoraClient client = AgoraClient.connect(server, apiKey)) {
      if (team == null || team.isBlank()) {
        client.ensureModel(model, summary);
      } else {
        client.ensureModel(model, summary, team);
      }
      client.upload(model, version, file);
      ModelVersion published = client.publish(model, version);
      System.out.println(
          "published "
              + published.getModel()
              + " "
              + published.getVersion()
              + " sha256:"
              + published.getArtifact().getSha256());
      return 0;
    } catch (AgoraClientException e) {
      System.err.println("agora publish: " + e.code() + " (" + e.reason() + "): " + e.getMessage());
      return 1;
    }
  }
}
