package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.batching.SchedulerFactory;
import dev.agora.inference.catalog.CatalogChanges;
import dev.agora.inference.catalog.CatalogModel;
import dev.agora.inference.catalog.Deprecation;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.catalog.Retirement;
import dev.agora.inference.repository.VersionCache.VersionKey;
import dev.agora.inference.repository.VersionPointers.PointerKey;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions this server has loaded, keyed by (model, version); several versions of one
 * model may be loaded at once. A version is loaded on its first request, or at start by {@link
 * #preloadPublished()}; concurrent first requests share one load. Loading fetches the artifact into
 * the {@link ArtifactCache}, verifies it, opens it with the {@link ModelRuntime} and checks it
 * against the recorded signature.
 *
 * <p>Loaded versions live in a Caffeine cache bounded by a memory budget and weighted by each
 * version's {@link ModelFootprint}; when the budget is exceeded, Caffeine's W-TinyLFU policy evicts
 * the least valuable versions (rarely and long-ago used). An evicted version is retired: it closes
 * once its requests are done, the index reports it UNAVAILABLE with the reason, and the next
 * request loads it again.
 *
 * <p>Requests name an explicit version, an alias or no version (the latest published). Where
 * aliases and "latest" point is learned from the catalog and, when the repository {@link #follow
 * follows} the catalog's change feed, kept current by it: a new target is loaded and warmed before
 * requests move to it, so a version that fails to load never takes traffic from the one serving
 * ({@link CatalogFollower}). Without the feed, these answers are reused for a configurable time.
 * Deprecated versions serve with a {@linkplain #deprecation notice}; retired versions are refused,
 * naming their successor.
 */
public final class ModelRepository implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);
  private static final int RETAIN_ATTEMPTS = 3;

  /** The alias the registry computes: always the latest published version. */
  static final String LATEST_ALIAS = "latest";

  private final ModelCatalog catalog;
  private final ModelRuntime runtime;
  private final SchedulerFactory schedulers;
  private final ArtifactCache artifacts;
  private final Executor loadExecutor;
  private final boolean warmUp;
  private final VersionPointers pointers;
  private final Map<VersionKey, Deprecation> deprecations = new ConcurrentHashMap<>();
  private final Map<VersionKey, Retirement> retirements = new ConcurrentHashMap<>();
  private final VersionCache versions;
  private final CatalogFollower follower;
  private volatile boolean closed;

  /**
   * A repository over {@code catalog} that opens models with {@code runtime}.
   *
   * @param schedulers creates each loaded version's scheduler
   * @param loadExecutor runs downloads and session creation
   * @param nanoTime the clock for {@code latestVersionTtl}, e.g. {@code System::nanoTime}
   */
  public ModelRepository(
      ModelCatalog catalog,
      ModelRuntime runtime,
      SchedulerFactory schedulers,
      RepositorySettings settings,
      Executor loadExecutor,
      LongSupplier nanoTime) {
    this.catalog = catalog;
    this.runtime = runtime;
    this.schedulers = schedulers;
    this.artifacts = new ArtifactCache(catalog, settings.cacheDir());
    this.loadExecutor = loadExecutor;
    this.warmUp = settings.warmUp();
    this.pointers = new VersionPointers(settings.latestVersionTtl(), nanoTime);
    this.versions = new VersionCache(settings.memoryBudgetBytes());
    this.follower =
        new CatalogFollower(
            this, catalog, pointers, deprecations, retirements, versions, loadExecutor);
  }

  /**
   * The version a request for {@code model}/{@code version} is served by: an empty version means
   * the latest published one, a version starting with a letter names an alias ({@code stable},
   * {@code canary}; the registry reserves {@code latest} for the latest published version),
   * anything else is an explicit version. Blocks on the catalog unless the answer is known.
   *
   * @throws AgoraException {@code LIFECYCLE_VIOLATION} naming the successor for a retired version;
   *     the catalog's reasons for what it does not know
   */
  public PublishedVersion resolve(String model, String version) {
    if (version.isEmpty() || version.equals(LATEST_ALIAS)) {
      return resolvePointer(new PointerKey(model, ""));
    }
    if (isAlias(version)) {
      return resolvePointer(new PointerKey(model, version));
    }
    return resolveExplicit(model, version);
  }

  /** Whether a requested version names an alias: aliases start with a letter, versions do not. */
  static boolean isAlias(String version) {
    char first = version.charAt(0);
    return (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  }

  private PublishedVersion resolvePointer(PointerKey key) {
    String pointed = pointers.get(key);
    if (pointed != null) {
      return resolveExplicit(key.model(), pointed);
    }
    if (key.selector().isEmpty()) {
      PublishedVersion latest = catalog.resolve(key.model(), "");
      pointers.learned(key, latest.version());
      return checked(latest);
    }
    String target = catalog.resolveAlias(key.model(), key.selector());
    pointers.learned(key, target);
    return resolveExplicit(key.model(), target);
  }

  private PublishedVersion resolveExplicit(String model, String version) {
    VersionKey key = new VersionKey(model, version);
    Retirement retired = retirements.get(key);
    if (retired != null) {
      throw retired.refusal();
    }
    VersionSlot slot = versions.get(key);
    return slot != null ? slot.published() : checked(catalog.resolve(model, version));
  }

  /** Records the deprecation a catalog answer carries and refuses versions retired meanwhile. */
  private PublishedVersion checked(PublishedVersion version) {
    VersionKey key = new VersionKey(version.model(), version.version());
    Retirement retired = retirements.get(key);
    if (retired != null) {
      throw retired.refusal();
    }
    if (version.deprecation() != null) {
      deprecations.putIfAbsent(key, version.deprecation());
    }
    return version;
  }

  /**
   * The deprecation notice of {@code model}/{@code version}, or null when the version is not
   * deprecated (as far as this server has heard). Allocates nothing when no version is deprecated.
   */
  public Deprecation deprecation(String model, String version) {
    return deprecations.isEmpty() ? null : deprecations.get(new VersionKey(model, version));
  }

  /** Follows {@code changes}: the handle stops following. */
  public AutoCloseable follow(CatalogChanges changes) {
    return changes.follow(follower);
  }

  /** Completes once the change feed delivers every later change (see {@link #follow}). */
  public CompletableFuture<Void> following() {
    return follower.started();
  }

  /** Starts loading {@code version} unless it is loaded or loading; completes when it serves. */
  public CompletableFuture<ServableVersion> load(PublishedVersion version) {
    return slotFor(version, false).future();
  }

  /** Resolves and loads, blocking until the version serves. The result is not retained. */
  public ServableVersion acquire(String model, String version) {
    return join(load(resolve(model, version)));
  }

  /**
   * Resolves, loads and {@linkplain ServableVersion#retain() retains} the version, blocking until
   * it serves; the caller must {@link ServableVersion#release() release} it. A version evicted
   * between loading and retaining is loaded again, a few times at most.
   *
   * @throws AgoraException when the version is unknown, cannot load, or keeps being evicted
   */
  public ServableVersion retain(String model, String version) {
    for (int attempt = 0; attempt < RETAIN_ATTEMPTS; attempt++) {
      CompletableFuture<ServableVersion> load = load(resolve(model, version));
      ServableVersion retained;
      if (load.isDone()) {
        ServableVersion loaded = join(load);
        retained = loaded.retain() ? loaded : null;
      } else {
        // Registered before the load completes, the retain runs on the loading thread before the
        // version is weighed, so a version loaded for waiting requests serves them even if the
        // cache does not admit it.
        retained = join(load.thenApply(s -> s.retain() ? s : null));
      }
      if (retained != null) {
        return retained;
      }
    }
    throw AgoraException.of(
        ErrorReason.MODEL_NOT_READY,
        "Model '"
            + model
            + "' was evicted from the model cache as soon as it loaded; the cache's memory budget"
            + " is too small for the models in use.");
  }

  /**
   * Loads the latest published version of {@code model} on an operator's explicit request: asks the
   * catalog afresh, retries a version whose earlier load failed, and makes room for it in the model
   * cache by evicting the coldest versions if needed.
   */
  public CompletableFuture<ServableVersion> reload(String model) {
    pointers.remove(new PointerKey(model, ""));
    VersionSlot slot = slotFor(resolve(model, ""), true);
    return slot.placed().thenCompose(placed -> slot.future());
  }

  /** Loads the latest published version of every model the catalog lists, and waits. */
  public void preloadPublished() {
    List<CompletableFuture<ServableVersion>> loads = new ArrayList<>();
    try {
      for (CatalogModel model : catalog.listModels()) {
        if (!model.latestPublishedVersion().isEmpty()) {
          loads.add(load(resolve(model.name(), "")));
        }
      }
    } catch (AgoraException failure) {
      log.warn(
          "could not list models to preload; they will load on demand: {}", failure.getMessage());
    }
    CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
        .exceptionally(failure -> null)
        .join();
  }

  /** Every version loaded, loading, failed or evicted, by model then version. */
  public List<VersionStatus> statuses() {
    return versions.statuses();
  }

  /** The state of one version, empty when the repository has not tried to load it. */
  public Optional<VersionStatus> status(String model, String version) {
    return versions.status(new VersionKey(model, version));
  }

  /** The versions that serve requests now. */
  public List<ServableVersion> ready() {
    return versions.ready();
  }

  /** The estimated memory of the versions that serve now, in bytes, as the cache weighs them. */
  public long footprintBytes() {
    return versions.footprintBytes();
  }

  /** The memory budget the cache keeps its versions within, in bytes. */
  public long budgetBytes() {
    return versions.budgetBytes();
  }

  /**
   * Forgets every version of {@code model} and closes their sessions once their requests are done.
   * A later request loads the model again.
   */
  public void unload(String model) {
    pointers.removeModel(model);
    versions.removeModel(model);
  }

  /** Applies pending evictions now; Caffeine otherwise does it as part of later operations. */
  public void cleanUp() {
    versions.cleanUp();
  }

  /** Refuses further loads and retires every version. */
  @Override
  public void close() {
    closed = true;
    versions.removeAll();
  }

  private VersionSlot slotFor(PublishedVersion version, boolean explicit) {
    if (closed) {
      throw AgoraException.of(ErrorReason.MODEL_NOT_READY, "The inference server is stopping.");
    }
    VersionKey key = new VersionKey(version.model(), version.version());
    VersionSlot present = versions.get(key);
    if (present != null && !present.failed()) {
      return present;
    }
    VersionSlot fresh = new VersionSlot(version);
    VersionSlot chosen =
        versions.compute(
            key,
            (k, current) ->
                current == null || (current.failed() && (explicit || current.failedTransiently()))
                    ? fresh
                    : current);
    if (chosen == fresh) {
      try {
        loadExecutor.execute(() -> open(key, fresh, explicit));
      } catch (RejectedExecutionException stopping) {
        fresh
            .future()
            .completeExceptionally(
                AgoraException.of(
                    ErrorReason.MODEL_NOT_READY, "The inference server is stopping."));
        fresh.placed().complete(null);
      }
    }
    return chosen;
  }

  private void open(VersionKey key, VersionSlot slot, boolean explicit) {
    PublishedVersion version = slot.published();
    long start = System.nanoTime();
    try {
      ModelFootprint.requireWithin(version, versions.budgetBytes());
      Path artifact = artifacts.ensure(version);
      LoadedModel model = runtime.load(artifact);
      try {
        SignatureCheck.requireMatching(version, model.signature());
        if (warmUp) {
          Warmup.run(version, model);
        }
      } catch (RuntimeException unusable) {
        model.close();
        throw unusable;
      }
      slot.future().complete(new ServableVersion(version, model, schedulers));
      log.info("loaded {} in {} ms", version.label(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException failure) {
      log.warn("could not load {}: {}", version.label(), failure.getMessage());
      slot.future().completeExceptionally(failure);
    }
    try {
      if (explicit && !slot.failed()) {
        versions.makeRoom(key, slot);
      }
      // Weigh the slot now that it serves (or failed); this may evict other versions, or this one.
      versions.reweigh(key, slot);
    } finally {
      slot.placed().complete(null);
    }
  }

  private static <T> T join(CompletableFuture<T> load) {
    try {
      return load.join();
    } catch (CompletionException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw failed;
    }
  }
}
