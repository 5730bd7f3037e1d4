package dev.agora.app.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agora serve}: runs registry and inference in this process until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the registry and the inference server in one process.")
public final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "./agora-data",
      description = "Metadata store, artifacts and model cache (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces).")
  String host;

  @Option(
      names = "--grpc-port",
      defaultValue = "8001",
      description = "gRPC port, 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(
      names = "--http-port",
      defaultValue = "8000",
      description = "HTTP port, 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "67108864",
      description = "Largest inbound gRPC message (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "PT10S",
      description =
          "How long in-flight calls may finish on stop, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Override
  public Integer call() throws Exception {
    ServeConfig config =
        new ServeConfig(host, grpcPort, httpPort, dataDir, maxMessageBytes, shutdownGrace);
    AgoraServer server = new AgoraServer(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "agora-shutdown"));
    System.out.println("agora: gRPC listening on " + host + ":" + server.grpcPort());
    System.out.println("agora: HTTP listening on " + host + ":" + server.httpPort());
    System.out.println("agora: data in " + dataDir.toAbsolutePath().normalize());
    System.out.println("agora: ready");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
