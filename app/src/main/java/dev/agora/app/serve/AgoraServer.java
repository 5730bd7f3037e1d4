package dev.agora.app.serve;

import dev.agora.app.http.HttpGateway;
import dev.agora.app.metrics.InferenceMetrics;
import dev.agora.app.metrics.MetricsExposition;
import dev.agora.app.metrics.ServerMetrics;
import dev.agora.inference.InferenceConfig;
import dev.agora.inference.InferenceServer;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.ratelimit.auth.RemoteKeyVerifier;
import dev.agora.ratelimit.auth.RemoteVerifierConfig;
import dev.agora.ratelimit.usage.RegistryUsageSink;
import dev.agora.ratelimit.usage.UsageMeter;
import dev.agora.ratelimit.usage.UsageMeterConfig;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.RegistryServer;
import dev.agora.registry.access.AccessConfig;
import dev.agora.registry.access.BootstrapOutcome;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry and inference in one process: the registry's services on an in-process server (for the
 * inference server's channel, which calls as the trusted {@link PublicServices#INFERENCE_SERVER})
 * and on the public gRPC port, the inference services beside them, plus {@code grpc.health.v1},
 * server reflection, the HTTP health endpoints and Prometheus metrics ({@code GET /metrics}, read
 * from one registry instance). Every public service but health, reflection and metrics requires an
 * API key ({@link PublicServices}).
 *
 * <p>{@link #close()} is a graceful stop: health turns NOT_SERVING ({@code grpc.health.v1} and
 * {@code /v2/health/ready}), both ports stop accepting (the gRPC listener closes and open
 * connections get GOAWAY; the HTTP listener closes and open connections get 503), calls in flight
 * on both ports finish within {@link ServeConfig#shutdownGrace()}, then everything started is
 * closed in reverse order: the inference server (which runs what is still queued) before the
 * registry.
 */
public final class AgoraServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgoraServer.class);

  private final ServeConfig config;
  private final RegistryConfig registryConfig;
  private final AccessConfig accessConfig;
  private final InferenceConfig inferenceConfig;
  private final UsageMeterConfig usageConfig;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final HealthStatusManager health = new HealthStatusManager();
  private final PrometheusRegistry metrics = new PrometheusRegistry();
  private final AtomicBoolean draining = new AtomicBoolean();
  private RegistryServer registry;
  private volatile long drainDeadlineNanos;
  private Server grpcServer;
  private HttpGateway httpServer;
  private InferenceServer inference;
  private BootstrapOutcome bootstrap;

  public AgoraServer(
      ServeConfig config,
      RegistryConfig registryConfig,
      AccessConfig accessConfig,
      InferenceConfig inferenceConfig) {
    this(config, registryConfig, accessConfig, inferenceConfig, UsageMeterConfig.defaults());
  }

  /** With usage metering settings of its own (how often usage is reported to the registry). */
  public AgoraServer(
      ServeConfig config,
      RegistryConfig registryConfig,
      AccessConfig accessConfig,
      InferenceConfig inferenceConfig,
      UsageMeterConfig usageConfig) {
    this.config = config;
    this.registryConfig = registryConfig;
    this.accessConfig = accessConfig;
    this.inferenceConfig = inferenceConfig;
    this.usageConfig = usageConfig;
  }

  /** Access control at its defaults: a generated administrator key on first start. */
  public AgoraServer(
      ServeConfig config, RegistryConfig registryConfig, InferenceConfig inferenceConfig) {
    this(config, registryConfig, AccessConfig.defaults(), inferenceConfig);
  }

  /** Registry and inference defaults with their data under the serve config's data directory. */
  public AgoraServer(ServeConfig config) {
    this(
        config,
        RegistryConfig.defaults(config.dataDir()),
        InferenceConfig.defaults(config.dataDir().resolve("inference-cache")));
  }

  /** Starts every component; on failure, closes what was started and rethrows. */
  public AgoraServer start() throws IOException {
    try {
      registry = new RegistryServer(registryConfig, accessConfig, InstantSource.system());
      started.push(registry);
      bootstrap = registry.bootstrap();

      String inProcessName = "agora-registry-" + UUID.randomUUID();
      InProcessServerBuilder inProcess = InProcessServerBuilder.forName(inProcessName);
      registry.internalServices(PublicServices.INFERENCE_SERVER).forEach(inProcess::addService);
      Server registryInProcess = inProcess.build().start();
      started.push(() -> stopServer(registryInProcess));
      ManagedChannel registryChannel = InProcessChannelBuilder.forName(inProcessName).build();
      started.push(() -> closeChannel(registryChannel));

      inference = new InferenceServer(inferenceConfig, registryChannel);
      started.push(inference);
      inference.start();
      metrics.register(new InferenceMetrics(inference.repository()));

      ExecutorService keyRefreshes = Executors.newSingleThreadExecutor(AgoraServer::keyRefresher);
      started.push(keyRefreshes::shutdownNow);
      RemoteKeyVerifier inferenceKeys =
          new RemoteKeyVerifier(registryChannel, RemoteVerifierConfig.defaults(), keyRefreshes);

      // Closed after both front ends have stopped and before the registry channel: flushes.
      UsageMeter usage =
          new UsageMeter(
              usageConfig,
              new RegistryUsageSink(registryChannel, Duration.ofSeconds(10)),
              InstantSource.system());
      started.push(usage);

      NettyServerBuilder grpc =
          NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
              .maxInboundMessageSize(config.maxInboundMessageBytes())
              .executor(inference.callExecutor());
      GrpcTransportLimits.defaults().applyTo(grpc);
      PublicServices.of(registry, inference, inferenceKeys, health, usage, InstantSource.system())
          .forEach(grpc::addService);
      grpcServer = grpc.build().start();
      started.push(() -> stopServer(grpcServer));

      httpServer = startHttpGateway(inferenceKeys, usage);
      started.push(httpServer);
      metrics.register(
          new ServerMetrics(this::isReady, draining::get, httpServer::inFlightRequests));

      if (isReady()) {
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
      }
      return this;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The REST gateway reaches the inference services through their own in-process server, behind the
   * same authentication and scope checks as the gRPC port: REST callers present the same key in the
   * same {@code authorization} header.
   */
  private HttpGateway startHttpGateway(RemoteKeyVerifier inferenceKeys, UsageMeter usage)
      throws IOException {
    String name = "agora-inference-" + UUID.randomUUID();
    InProcessServerBuilder inProcess = InProcessServerBuilder.forName(name);
    PublicServices.inference(inference, inferenceKeys, usage, InstantSource.system())
        .forEach(inProcess::addService);
    Server inferenceInProcess = inProcess.build().start();
    started.push(() -> stopServer(inferenceInProcess));
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    started.push(() -> closeChannel(channel));
    return HttpGateway.start(
        config.host(),
        config.httpPort(),
        config.maxInboundMessageBytes(),
        channel,
        this::isReady,
        new MetricsExposition(metrics));
  }

  /**
   * True when the inference server has loaded what it preloads and accepts requests, and no stop
   * has begun.
   */
  public boolean isReady() {
    return !draining.get() && inference != null && inference.isReady();
  }

  /**
   * What the first-start bootstrap of access control did; the administrator key it generated, if
   * any, is to be shown once.
   */
  public BootstrapOutcome bootstrap() {
    return bootstrap;
  }

  public int grpcPort() {
    return grpcServer.getPort();
  }

  public int httpPort() {
    return httpServer.port();
  }

  /** Stops {@code server}, letting its calls run until the drain's deadline, then cancelling. */
  private void stopServer(Server server) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(graceLeftNanos(), TimeUnit.NANOSECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private long graceLeftNanos() {
    return Math.max(0, drainDeadlineNanos - System.nanoTime());
  }

  private static Thread keyRefresher(Runnable task) {
    Thread thread = new Thread(task, "agora-key-refresh");
    thread.setDaemon(true);
    return thread;
  }

  private static void closeChannel(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /**
   * Drains (see the class comment), then closes everything started, in reverse order. A second
   * caller waits for the first to finish.
   */
  @Override
  public synchronized void close() {
    drain();
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("failed to close a component during shutdown", e);
      }
    }
    log.info("stopped");
  }

  /**
   * Health NOT_SERVING, both listeners closed, then waits until the calls in flight on both ports
   * are done or the grace period is over. Runs once.
   */
  private void drain() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    drainDeadlineNanos = System.nanoTime() + config.shutdownGrace().toNanos();
    health.enterTerminalState();
    if (grpcServer == null || httpServer == null) {
      return;
    }
    log.info(
        "draining: refusing new calls; calls in flight have {} to finish", config.shutdownGrace());
    grpcServer.shutdown();
    httpServer.stopAccepting();
    // A change-feed watch never ends on its own: ended now, it does not hold the stop for the
    // whole grace period, and its client learns at once where to resume.
    registry.endWatches();
    try {
      boolean grpcDone = grpcServer.awaitTermination(graceLeftNanos(), TimeUnit.NANOSECONDS);
      boolean httpDone = httpServer.awaitIdle(Duration.ofNanos(graceLeftNanos()));
      if (!grpcDone || !httpDone) {
        log.warn(
            "the grace period of {} is over; cancelling the calls still in flight",
            config.shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
