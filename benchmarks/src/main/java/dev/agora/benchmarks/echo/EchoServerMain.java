package dev.agora.benchmarks.echo;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@link BytesEcho} service alone in its own JVM on grpc-java's Netty server with its default
 * settings: the process the load generator compares {@code agora serve} with, so that both servers
 * are separate processes reached over loopback by the same client. Calls are delivered on the same
 * kind of executor as {@code agora serve}'s (a work-stealing pool of at least four threads,
 * decision 0030) unless {@code --grpc-default-executor} asks for grpc-java's own cached pool.
 * Prints {@code echo: gRPC listening on HOST:PORT} and {@code echo: ready}, then serves until it is
 * terminated.
 */
@Command(
    name = "echo-server",
    mixinStandardHelpOptions = true,
    description = "A bare grpc-java echo server (the serving benchmarks' baseline).")
public final class EchoServerMain implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Port; 0 picks a free one.")
  int port;

  @Option(
      names = "--grpc-default-executor",
      description =
          "Deliver calls on grpc-java's own cached pool (the baseline before decision 0030).")
  boolean grpcDefaultExecutor;

  @Override
  public Integer call() throws IOException, InterruptedException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(BytesEcho.service());
    if (!grpcDefaultExecutor) {
      int parallelism = Runtime.getRuntime().availableProcessors();
      builder.executor(
          new ForkJoinPool(
              parallelism, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true));
    }
    Server server = builder.build().start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    System.out.println("echo: gRPC listening on " + host + ":" + server.getPort());
    System.out.println("echo: ready");
    System.out.flush();
    server.awaitTermination();
    return 0;
  }

  /** Runs the server. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EchoServerMain()).execute(args));
  }
}
