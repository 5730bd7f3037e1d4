package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.CatalogListener;
import dev.agora.inference.catalog.CatalogModel;
import dev.agora.inference.catalog.Deprecation;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.Retirement;
import dev.agora.inference.repository.VersionCache.VersionKey;
import dev.agora.inference.repository.VersionPointers.PointerKey;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies catalog changes to a {@link ModelRepository}:
 *
 * <ul>
 *   <li>a new latest version is loaded (and warmed) first; requests without a version move to it
 *       once it serves, and keep being served by the previous one if it fails to load;
 *   <li>an alias that requests use moves the same way; an alias nobody uses here just moves;
 *   <li>a deprecated version keeps serving and its answers carry the notice;
 *   <li>a retired version is refused from then on, naming its successor, and unloaded once its
 *       in-flight requests are done;
 *   <li>after missed changes, everything learned is dropped and asked for again.
 * </ul>
 */
final class CatalogFollower implements CatalogListener {
  private static final Logger log = LoggerFactory.getLogger(CatalogFollower.class);

  private final ModelRepository repository;
  private final ModelCatalog catalog;
  private final VersionPointers pointers;
  private final Map<VersionKey, Deprecation> deprecations;
  private final Map<VersionKey, Retirement> retirements;
  private final VersionCache versions;
  private final Executor loadExecutor;
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  CatalogFollower(
      ModelRepository repository,
      ModelCatalog catalog,
      VersionPointers pointers,
      Map<VersionKey, Deprecation> deprecations,
      Map<VersionKey, Retirement> retirements,
      VersionCache versions,
      Executor loadExecutor) {
    this.repository = repository;
    this.catalog = catalog;
    this.pointers = pointers;
    this.deprecations = deprecations;
    this.retirements = retirements;
    this.versions = versions;
    this.loadExecutor = loadExecutor;
  }

  /** Completes on the first {@link #following()}, or exceptionally when following stops first. */
  CompletableFuture<Void> started() {
    return started;
  }

  @Override
  public void following() {
    pointers.following(true);
    started.complete(null);
    log.info("following the registry's change feed");
  }

  @Override
  public void latestChanged(String model, String version) {
    PointerKey key = new PointerKey(model, "");
    if (version.isEmpty()) {
      pointers.remove(key);
    } else {
      moveWhenServing(key, version);
    }
  }

  @Override
  public void aliasMoved(String model, String alias, String version) {
    PointerKey key = new PointerKey(model, alias);
    if (pointers.isServing(key)) {
      moveWhenServing(key, version);
    } else {
      pointers.set(key, version);
    }
  }

  @Override
  public void aliasDeleted(String model, String alias) {
    pointers.remove(new PointerKey(model, alias));
  }

  @Override
  public void deprecated(Deprecation deprecation) {
    deprecations.put(new VersionKey(deprecation.model(), deprecation.version()), deprecation);
    log.info("{}", deprecation.warning());
  }

  @Override
  public void retired(Retirement retirement) {
    VersionKey key = new VersionKey(retirement.model(), retirement.version());
    retirements.put(key, retirement);
    deprecations.remove(key);
    versions.retire(key, retirement.refusal().getMessage());
    log.info(
        "model '{}' version '{}' was retired; it no longer serves",
        retirement.model(),
        retirement.version());
  }

  @Override
  public void modelDeleted(String model) {
    repository.unload(model);
  }

  @Override
  public void resynced() {
    log.warn("missed changes on the registry's change feed; asking the catalog again");
    pointers.clear();
    deprecations.clear();
    run(this::relist);
  }

  @Override
  public void stopped(String reason) {
    pointers.following(false);
    started.completeExceptionally(new IllegalStateException(reason));
    log.error(
        "stopped following the registry's change feed ({}); new versions, aliases and retirements"
            + " reach this server only when asked for",
        reason);
  }

  /** Loads {@code version} and moves {@code key} to it once it serves. */
  private void moveWhenServing(PointerKey key, String version) {
    pointers.want(key, version);
    run(
        () -> {
          try {
            repository
                .load(repository.resolve(key.model(), version))
                .whenComplete(
                    (servable, failure) -> {
                      if (failure == null) {
                        arrived(key, version);
                      } else {
                        abandoned(key, version, failure);
                      }
                    });
          } catch (AgoraException failure) {
            abandoned(key, version, failure);
          }
        });
  }

  private void arrived(PointerKey key, String version) {
    if (pointers.arrived(key, version)) {
      log.info(
          "model '{}' {} is now served by version '{}'",
          key.model(),
          key.selector().isEmpty() ? "(latest)" : "alias '" + key.selector() + "'",
          version);
    }
  }

  private void abandoned(PointerKey key, String version, Throwable failure) {
    pointers.abandoned(key, version);
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    log.warn(
        "model '{}' version '{}' could not load, so the previous version keeps serving: {}",
        key.model(),
        version,
        cause.getMessage());
  }

  /** Re-learns deprecations and retirements of the loaded versions, and reloads every latest. */
  private void relist() {
    for (VersionStatus status : versions.statuses()) {
      VersionKey key = new VersionKey(status.model(), status.version());
      try {
        Deprecation deprecation = catalog.resolve(status.model(), status.version()).deprecation();
        if (deprecation != null) {
          deprecations.put(key, deprecation);
        }
      } catch (AgoraException refused) {
        if (refused.reason() == ErrorReason.LIFECYCLE_VIOLATION) {
          retired(
              new Retirement(
                  status.model(),
                  status.version(),
                  refused.metadata().getOrDefault("successor_version", "")));
        }
      }
    }
    try {
      for (CatalogModel model : catalog.listModels()) {
        latestChanged(model.name(), model.latestPublishedVersion());
      }
    } catch (AgoraException failure) {
      log.warn("could not list models after missed changes: {}", failure.getMessage());
    }
  }

  private void run(Runnable task) {
    try {
      loadExecutor.execute(task);
    } catch (RejectedExecutionException stopping) {
      // The server is stopping; nothing is loaded any more.
    }
  }
}
