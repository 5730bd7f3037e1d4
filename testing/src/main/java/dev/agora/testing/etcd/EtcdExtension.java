package dev.agora.testing.etcd;

import java.net.URI;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real etcd: started before the first test, stopped and deleted after the
 * last. Register it on a static field so that it runs once per class:
 *
 * <pre>{@code
 * @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();
 *
 * @Test void writes() { ... connect to etcd.endpoint() ... }
 * }</pre>
 *
 * <p>Tests share the member, so each should use keys of its own (a per-test key prefix). Failure
 * tests may {@link EtcdProcess#kill()} and {@link EtcdProcess#restart()} it through {@link
 * #process()}; the next test class gets a new member. When the etcd binary is missing, every test
 * of the class fails with a message saying to run {@code scripts/install-prereqs.sh}.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {
  private final EtcdProcessConfig config;
  private EtcdProcess process;

  /** An extension that launches Debian's etcd binary with the default settings. */
  public EtcdExtension() {
    this(EtcdProcessConfig.defaults());
  }

  /** An extension that launches etcd as {@code config} says. */
  public EtcdExtension(EtcdProcessConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    process = EtcdProcess.start(config);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** The running member; for failure tests that kill or restart it. */
  public EtcdProcess process() {
    if (process == null) {
      throw new IllegalStateException(
          "etcd is not running: register EtcdExtension on a static field with @RegisterExtension");
    }
    return process;
  }

  /** The member's client URL, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return process().clientEndpoint();
  }
}
