package dev.agora.registry.access;

import dev.agora.ratelimit.auth.ApiKeyVerifier;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.registry.store.MetadataStore;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The registry's access control in one piece: teams and keys on the metadata store, the key
 * verifier the authentication interceptor asks, the authorization policy every registry service
 * sits behind, {@code AccessService}, and the first-start bootstrap. Close it before the store: it
 * flushes the keys' last-used times.
 */
public final class AccessControl implements AutoCloseable {
  private final KeyUsageRecorder usage;
  private final StoreKeyVerifier verifier;
  private final AccessPolicyInterceptor policy;
  private final AccessService service;
  private final BootstrapOutcome bootstrap;

  private AccessControl(MetadataStore store, AccessConfig config, InstantSource clock) {
    TeamDirectory teams = new TeamDirectory(store, clock);
    KeyDirectory keys = new KeyDirectory(store);
    ApiKeyGenerator generator = ApiKeyGenerator.secure();
    this.bootstrap = AccessBootstrap.run(store, config.bootstrapAdminKey(), generator, clock);
    this.usage = new KeyUsageRecorder(keys, usageFlusher(), config.lastUsedFlushInterval());
    this.verifier = new StoreKeyVerifier(keys, teams, usage, clock);
    this.policy = new AccessPolicyInterceptor(new MethodRules(new ModelOwners(store), teams));
    this.service =
        new AccessService(
            teams, keys, new KeyIssuer(keys, teams, generator, clock), verifier, clock);
  }

  /** Opens access control on {@code store}, bootstrapping the administrators on first start. */
  public static AccessControl open(MetadataStore store, AccessConfig config, InstantSource clock) {
    return new AccessControl(store, config, clock);
  }

  /** Verifies keys on the store; for the authentication interceptor. */
  public ApiKeyVerifier verifier() {
    return verifier;
  }

  /** The authorization policy; apply it to every registry service, inside authentication. */
  public ServerInterceptor policy() {
    return policy;
  }

  /** {@code agora.access.v1.AccessService}. */
  public BindableService service() {
    return service;
  }

  /** What the first-start bootstrap did when this was opened. */
  public BootstrapOutcome bootstrap() {
    return bootstrap;
  }

  /** Stops the last-used flusher and writes what it holds. */
  @Override
  public void close() {
    usage.close();
  }

  private static ScheduledExecutorService usageFlusher() {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, "agora-key-usage");
          thread.setDaemon(true);
          return thread;
        });
  }
}
