package dev.agora.app.serve;

import dev.agora.app.AgoraVersion;
import dev.agora.app.logging.LogConfiguration;
import dev.agora.app.logging.LogFormat;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.InferenceConfig;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.usage.UsageMeterConfig;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.access.AccessConfig;
import dev.agora.registry.access.BootstrapOutcome;
import dev.agora.registry.catalog.GovernanceConfig;
import dev.agora.registry.store.etcd.EtcdConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
          "On SIGTERM or Ctrl-C, how long calls in flight may finish after both ports stop"
              + " accepting, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      defaultValue = "${env:AGORA_LOG_FORMAT:-text}",
      description =
          "Log lines on stderr: text for people, json (one object per line) for log pipelines;"
              + " also AGORA_LOG_FORMAT (default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(
      names = "--max-artifact-bytes",
      defaultValue = "1073741824",
      description = "Largest model artifact the registry accepts (default: ${DEFAULT-VALUE}).")
  long maxArtifactBytes;

  @Option(
      names = "--etcd",
      paramLabel = "URL[,URL...]",
      description =
          "etcd client URLs that hold the registry's metadata, e.g. http://127.0.0.1:2379"
              + " (default: the embedded store under --data-dir).")
  String etcd;

  @Option(
      names = "--inference-threads",
      description =
          "Threads that receive gRPC calls and decode inference requests: the parallelism of the"
              + " call executor and the size of the request pool (default: one per processor).")
  Integer inferenceThreads;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "1",
      description =
          "ONNX Runtime threads per operator, 0 lets it decide (default: ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(
      names = "--optimization-level",
      defaultValue = "all",
      description =
          "ONNX Runtime graph optimizations: none, basic, extended, all (default: ${DEFAULT-VALUE}).")
  String optimizationLevel;

  @Option(
      names = "--inter-op-threads",
      defaultValue = "1",
      description =
          "ONNX Runtime threads for independent operators of one graph; 1 runs the graph"
              + " sequentially (default: ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Option(
      names = "--memory-arena",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Let ONNX Runtime keep freed CPU memory in its arena for reuse (default: on;"
              + " --no-memory-arena turns it off).")
  boolean memoryArena;

  @Option(
      names = "--execution-threads",
      description =
          "Model executions that may run at once, server-wide: the size of the pool that runs"
              + " ONNX Runtime (default: one per processor).")
  Integer executionThreads;

  @Option(
      names = "--model-cache-bytes",
      description =
          "Memory budget of loaded model versions, weighed by their footprint estimates; past it"
              + " the least valuable versions are unloaded (default: half the machine's memory).")
  Long modelCacheBytes;

  @Option(
      names = "--max-tensor-bytes",
      defaultValue = "67108864",
      description = "Largest input tensor accepted, in bytes (default: ${DEFAULT-VALUE}, 64 MiB).")
  long maxTensorBytes;

  @Option(
      names = "--max-batch-size",
      defaultValue = "64",
      description =
          "Rows the dynamic batcher puts in one execution of a model whose inputs and outputs all"
              + " have a dynamic first dimension; 0 turns dynamic batching off (default:"
              + " ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--max-queue-delay",
      defaultValue = "PT0S",
      description =
          "How long the oldest queued request of a batching model may wait for company while an"
              + " execution slot is free, ISO-8601, at most PT10S; PT0S batches only what queues"
              + " while executions are busy (default: ${DEFAULT-VALUE}).")
  Duration maxQueueDelay;

  @Option(
      names = "--model-batching",
      paramLabel = "MODEL=SIZE[,DELAY]",
      description =
          "Batches one model otherwise: its max batch size (0 = not batched) and optionally its"
              + " queue delay, e.g. wide=32,PT0.002S. Repeatable.")
  Map<String, String> modelBatching = new LinkedHashMap<>();

  @Option(
      names = "--usage-flush-interval",
      defaultValue = "PT10S",
      description =
          "How often inference usage is reported to the registry, ISO-8601 (default:"
              + " ${DEFAULT-VALUE}).")
  Duration usageFlushInterval;

  @Option(
      names = "--sunset-check-interval",
      defaultValue = "PT1M",
      description =
          "How often the registry retires deprecated versions whose sunset has passed, ISO-8601"
              + " (default: ${DEFAULT-VALUE}).")
  Duration sunsetCheckInterval;

  @Option(
      names = "--usage-retention",
      defaultValue = "P400D",
      description =
          "How long the registry keeps usage records, ISO-8601, at least P7D (default:"
              + " ${DEFAULT-VALUE}).")
  Duration usageRetention;

  @Override
  public Integer call() throws Exception {
    LogConfiguration.apply(LogFormat.parse(logFormat));
    ServeConfig config =
        new ServeConfig(host, grpcPort, httpPort, dataDir, maxMessageBytes, shutdownGrace);
    RegistryConfig registry =
        RegistryConfig.defaults(dataDir)
            .withMaxArtifactBytes(maxArtifactBytes)
            .withEtcd(etcdConfig(etcd))
            .withGovernance(
                GovernanceConfig.defaults()
                    .withSunsetCheckInterval(sunsetCheckInterval)
                    .withUsageRetention(usageRetention));
    InferenceConfig inference = inferenceConfig();
    UsageMeterConfig usage = UsageMeterConfig.defaults().withFlushInterval(usageFlushInterval);
    AgoraServer server = start(new AgoraServer(config, registry, accessConfig(), inference, usage));
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
    if (registry.etcd().enabled()) {
      System.out.println("agora: metadata in etcd at " + registry.etcd().endpoints());
    }
    printBootstrap(server.bootstrap());
    System.out.println("agora: ready");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The inference settings the flags ask for, with the defaults for the rest. */
  InferenceConfig inferenceConfig() {
    InferenceConfig.Builder inference =
        InferenceConfig.builder(dataDir.resolve("inference-cache"))
            .serverVersion(AgoraVersion.current())
            .intraOpThreads(intraOpThreads)
            .interOpThreads(interOpThreads)
            .optimizationLevel(optimizationLevel)
            .memoryArena(memoryArena)
            .maxTensorBytes(maxTensorBytes)
            .maxBatchSize(maxBatchSize)
            .maxQueueDelay(maxQueueDelay)
            .modelBatching(ModelBatchingFlags.parse(modelBatching, maxQueueDelay));
    if (inferenceThreads != null) {
      inference.inferenceThreads(inferenceThreads);
    }
    if (executionThreads != null) {
      inference.executionThreads(executionThreads);
    }
    if (modelCacheBytes != null) {
      inference.modelCacheBytes(modelCacheBytes);
    }
    return inference.build();
  }

  /**
   * Starts the server; an unreachable metadata store is reported as a sentence, like a bad flag.
   */
  private static AgoraServer start(AgoraServer server) throws IOException {
    try {
      return server.start();
    } catch (AgoraException e) {
      if (e.reason() == ErrorReason.STORE_UNAVAILABLE) {
        throw new IOException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** The embedded store without {@code --etcd}; etcd at the listed URLs with it. */
  static EtcdConfig etcdConfig(String urls) {
    return urls == null || urls.isBlank()
        ? EtcdConfig.defaults()
        : EtcdConfig.defaults().withEndpoints(EtcdConfig.parseEndpoints(urls));
  }

  /** Access settings; the bootstrap administrator key comes from the environment, never a flag. */
  static AccessConfig accessConfig() {
    String configured = System.getenv(AccessConfig.BOOTSTRAP_ADMIN_KEY_VARIABLE);
    AccessConfig defaults = AccessConfig.defaults();
    return configured == null || configured.isBlank()
        ? defaults
        : defaults.withBootstrapAdminKey(configured);
  }

  /** Shows a generated administrator key once, like a first-run password. */
  static void printBootstrap(BootstrapOutcome bootstrap) {
    switch (bootstrap.kind()) {
      case GENERATED_KEY -> {
        System.out.println(
            "agora: bootstrap admin key: " + bootstrap.adminKey().orElseThrow().value());
        System.out.println(
            "agora: it is shown only now; keep it (only its hash is stored) and pass it as"
                + " 'authorization: Bearer <key>', --api-key or AGORA_API_KEY");
      }
      case CONFIGURED_KEY ->
          System.out.println(
              "agora: bootstrap admin key taken from "
                  + AccessConfig.BOOTSTRAP_ADMIN_KEY_VARIABLE
                  + " ("
                  + bootstrap.adminKey().orElseThrow().redacted()
                  + ")");
      case ALREADY_BOOTSTRAPPED -> {}
    }
  }
}
