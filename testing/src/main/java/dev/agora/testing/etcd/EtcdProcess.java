package dev.agora.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One etcd member on loopback: ephemeral client and peer ports, a temporary data directory, output
 * in a log file. Start it with {@link #start(EtcdProcessConfig)}; {@link #kill()}, {@link #stop()}
 * and {@link #restart()} keep the data directory and the ports, so a restarted member has every
 * write that was acknowledged before. {@link #close()} stops it and deletes the directory.
 *
 * <p>Not thread-safe: drive one process from one test thread.
 */
public final class EtcdProcess implements AutoCloseable {
  private static final String MEMBER = "agora-test";
  private static final int PORT_ATTEMPTS = 3;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final EtcdProcessConfig config;
  private final Path workDir;
  private final EtcdLog log;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdProcess(EtcdProcessConfig config, Path workDir, int clientPort, int peerPort) {
    this.config = config;
    this.workDir = workDir;
    this.log = new EtcdLog(workDir.resolve("etcd.log"));
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /**
   * Starts a new member and waits until it is healthy.
   *
   * @throws IllegalStateException when the binary is missing (the message says to run {@code
   *     scripts/install-prereqs.sh}) or etcd does not become healthy (the message quotes its log)
   */
  public static EtcdProcess start(EtcdProcessConfig config) {
    Objects.requireNonNull(config, "config");
    requireBinary(config.binary());
    IllegalStateException lastFailure = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      List<Integer> ports = LoopbackPorts.free(2);
      EtcdProcess etcd = new EtcdProcess(config, newWorkDir(), ports.get(0), ports.get(1));
      try {
        etcd.launch();
        return etcd;
      } catch (IllegalStateException e) {
        etcd.close();
        lastFailure = e;
        if (!e.getMessage().contains("address already in use")) {
          throw e;
        }
      }
    }
    throw lastFailure;
  }

  /** The client URL, {@code http://127.0.0.1:<port>}. */
  public URI clientEndpoint() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /** The client port on 127.0.0.1. */
  public int clientPort() {
    return clientPort;
  }

  /** The member's data directory, kept across {@link #kill()} and {@link #restart()}. */
  public Path dataDir() {
    return workDir.resolve("data");
  }

  /** The file that collects etcd's output across restarts. */
  public Path logFile() {
    return log.file();
  }

  /** Whether the etcd process is alive. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills etcd with SIGKILL (no chance to flush or close anything) and waits until it is gone. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit(process);
      process = null;
    }
  }

  /** Stops etcd with SIGTERM and waits; kills it when it does not exit within 15 seconds. */
  public void stop() {
    if (process != null) {
      process.destroy();
      if (!exited(process, STOP_TIMEOUT)) {
        process.destroyForcibly();
      }
      awaitExit(process);
      process = null;
    }
  }

  /** Stops etcd when running, then starts it again on the same data directory and ports. */
  public void restart() {
    stop();
    launch();
  }

  /** Stops etcd and deletes its directory. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      deleteRecursively(workDir);
    }
  }

  @Override
  public String toString() {
    return "etcd at " + clientEndpoint() + " (data " + dataDir() + ")";
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + config.binary() + ": " + e.getMessage(), e);
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    EtcdHealthProbe probe = new EtcdHealthProbe(clientEndpoint());
    Instant deadline = Instant.now().plus(config.startTimeout());
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw failure("etcd exited with status " + process.exitValue() + " while starting");
      }
      if (probe.healthy()) {
        return;
      }
      // Doubles as the poll interval: returns at once when etcd dies.
      exited(process, Duration.ofMillis(50));
    }
    kill();
    throw failure("etcd did not become healthy within " + config.startTimeout());
  }

  private List<String> command() {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of(
        config.binary().toString(),
        "--name=" + MEMBER,
        "--data-dir=" + dataDir(),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=" + MEMBER + "=" + peer,
        "--initial-cluster-state=new",
        "--initial-cluster-token=" + workDir.getFileName(),
        "--logger=zap",
        "--log-outputs=stderr");
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(
        what + " (" + this + "); last lines of " + log.file() + ":\n" + log.tail(40));
  }

  private static void requireBinary(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "etcd is not installed at "
              + binary
              + ": run scripts/install-prereqs.sh, which installs Debian's etcd-server package");
    }
  }

  private static Path newWorkDir() {
    try {
      return Files.createTempDirectory("agora-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for etcd", e);
    }
  }

  private static boolean exited(Process process, Duration wait) {
    try {
      return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }

  private static void awaitExit(Process process) {
    if (!exited(process, STOP_TIMEOUT)) {
      throw new IllegalStateException("etcd (pid " + process.pid() + ") did not exit");
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
