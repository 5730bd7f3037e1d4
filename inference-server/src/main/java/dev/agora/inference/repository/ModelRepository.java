package dev.agora.inference.repository;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.CatalogModel;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions this server has loaded, keyed by (model, version). A version is loaded on its
 * first request, or at start by {@link #preloadPublished()}; concurrent first requests share one
 * load. Loading fetches the artifact into the {@link ArtifactCache}, verifies it, opens it with the
 * {@link ModelRuntime} and checks it against the recorded signature. Which version is "latest" is
 * cached for a configurable time so that newly published versions are picked up.
 */
public final class ModelRepository implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);

  private record VersionKey(String model, String version) {}

  private final ModelCatalog catalog;
  private final ModelRuntime runtime;
  private final ArtifactCache artifacts;
  private final Executor loadExecutor;
  private final Cache<String, PublishedVersion> latest;
  private final ConcurrentMap<VersionKey, VersionSlot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * A repository over {@code catalog} that opens models with {@code runtime}.
   *
   * @param cacheDir where verified artifacts are kept
   * @param latestVersionTtl how long the answer to "which version is latest" is reused
   * @param loadExecutor runs downloads and session creation
   * @param nanoTime the clock for {@code latestVersionTtl}, e.g. {@code System::nanoTime}
   */
  public ModelRepository(
      ModelCatalog catalog,
      ModelRuntime runtime,
      Path cacheDir,
      Duration latestVersionTtl,
      Executor loadExecutor,
      LongSupplier nanoTime) {
    this.catalog = catalog;
    this.runtime = runtime;
    this.artifacts = new ArtifactCache(catalog, cacheDir);
    this.loadExecutor = loadExecutor;
    this.latest =
        Caffeine.newBuilder()
            .expireAfterWrite(latestVersionTtl)
            .ticker(nanoTime::getAsLong)
            .executor(Runnable::run)
            .build();
  }

  /**
   * The version a request for {@code model}/{@code version} is served by; an empty version means
   * the latest published one. Blocks on the catalog unless the answer is known.
   */
  public PublishedVersion resolve(String model, String version) {
    if (version.isEmpty()) {
      return latest.get(model, name -> catalog.resolve(name, ""));
    }
    VersionSlot slot = slots.get(new VersionKey(model, version));
    return slot != null ? slot.published() : catalog.resolve(model, version);
  }

  /** Starts loading {@code version} unless it is loaded or loading; completes when it serves. */
  public CompletableFuture<ServableVersion> load(PublishedVersion version) {
    return slotFor(version, false).future();
  }

  /** Resolves and loads, blocking until the version serves. */
  public ServableVersion acquire(String model, String version) {
    return join(load(resolve(model, version)));
  }

  /**
   * Loads the latest published version of {@code model}, asking the catalog afresh and retrying a
   * version whose earlier load failed.
   */
  public CompletableFuture<ServableVersion> reload(String model) {
    latest.invalidate(model);
    return slotFor(resolve(model, ""), true).future();
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

  /** Every version loaded, loading or failed, by model then version. */
  public List<VersionStatus> statuses() {
    return slots.values().stream()
        .map(VersionSlot::status)
        .sorted(Comparator.comparing(VersionStatus::model).thenComparing(VersionStatus::version))
        .toList();
  }

  /** The state of one version, empty when the repository has not tried to load it. */
  public Optional<VersionStatus> status(String model, String version) {
    return Optional.ofNullable(slots.get(new VersionKey(model, version))).map(VersionSlot::status);
  }

  /** The versions that serve requests now. */
  public List<ServableVersion> ready() {
    return slots.values().stream()
        .filter(slot -> slot.state() == VersionState.READY)
        .map(slot -> slot.future().join())
        .toList();
  }

  /**
   * Forgets every version of {@code model} and closes their sessions once running requests end. A
   * later request loads the model again.
   */
  public void unload(String model) {
    latest.invalidate(model);
    for (VersionKey key : List.copyOf(slots.keySet())) {
      if (key.model().equals(model)) {
        VersionSlot removed = slots.remove(key);
        if (removed != null) {
          removed.future().thenAccept(ServableVersion::close);
        }
      }
    }
  }

  /** Refuses further loads and closes every session. */
  @Override
  public void close() {
    closed = true;
    slots.keySet().stream().map(VersionKey::model).distinct().toList().forEach(this::unload);
  }

  private VersionSlot slotFor(PublishedVersion version, boolean retryFailed) {
    if (closed) {
      throw AgoraException.of(ErrorReason.MODEL_NOT_READY, "The inference server is stopping.");
    }
    VersionKey key = new VersionKey(version.model(), version.version());
    VersionSlot fresh = new VersionSlot(version, new CompletableFuture<>());
    VersionSlot chosen =
        slots.compute(
            key,
            (k, current) ->
                current == null
                        || (current.failed() && (retryFailed || current.failedTransiently()))
                    ? fresh
                    : current);
    if (chosen == fresh) {
      try {
        loadExecutor.execute(() -> open(fresh));
      } catch (RejectedExecutionException stopping) {
        fresh
            .future()
            .completeExceptionally(
                AgoraException.of(
                    ErrorReason.MODEL_NOT_READY, "The inference server is stopping."));
      }
    }
    return chosen;
  }

  private void open(VersionSlot slot) {
    PublishedVersion version = slot.published();
    long start = System.nanoTime();
    try {
      Path artifact = artifacts.ensure(version);
      LoadedModel model = runtime.load(artifact);
      try {
        requireMatchingSignature(version, model.signature());
      } catch (RuntimeException mismatch) {
        model.close();
        throw mismatch;
      }
      slot.future().complete(new ServableVersion(version, model));
      log.info("loaded {} in {} ms", version.label(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException failure) {
      log.warn("could not load {}: {}", version.label(), failure.getMessage());
      slot.future().completeExceptionally(failure);
    }
  }

  private static void requireMatchingSignature(PublishedVersion version, ModelSignature actual) {
    ModelSignature recorded = version.signature();
    String problem = mismatch("input", recorded.inputs(), actual.inputs());
    if (problem == null) {
      problem = mismatch("output", recorded.outputs(), actual.outputs());
    }
    if (problem != null) {
      throw AgoraException.of(
          ErrorReason.INVALID_ARTIFACT,
          "The artifact of " + version.label() + " does not match its signature: " + problem + ".");
    }
  }

  private static String mismatch(
      String kind, List<TensorSignature> recorded, List<TensorSignature> actual) {
    if (recorded.size() != actual.size()) {
      return "it has " + actual.size() + " " + kind + "s, not " + recorded.size();
    }
    for (TensorSignature expected : recorded) {
      boolean found =
          actual.stream()
              .anyMatch(
                  t -> t.name().equals(expected.name()) && t.datatype() == expected.datatype());
      if (!found) {
        return "it has no " + kind + " '" + expected.name() + "' of " + expected.datatype();
      }
    }
    return null;
  }

  private static ServableVersion join(CompletableFuture<ServableVersion> load) {
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
