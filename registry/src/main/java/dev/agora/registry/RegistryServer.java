package dev.agora.registry;

import dev.agora.common.error.ErrorMappingInterceptor;
import dev.agora.registry.artifact.onnx.OnnxArtifactInspector;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.blob.FileBlobStore;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.VersionRecorder;
import dev.agora.registry.catalog.VersionRepository;
import dev.agora.registry.service.RegistryService;
import dev.agora.registry.service.VersionUploads;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.embedded.EmbeddedMetadataStore;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry in one process: an embedded metadata store and a file blob store under the data
 * directory, and the gRPC services on top. Upload finishing (digest check, ONNX Runtime inspection,
 * recording) runs on a small pool of {@value #FINISHING_THREADS} threads owned here, which also
 * bounds how many artifacts are held in memory for inspection at once.
 *
 * <p>Close it after the gRPC server that serves {@link #services()} has stopped.
 */
public final class RegistryServer implements AutoCloseable {
  /** How many uploads may be finishing (and so held in memory) at the same time. */
  public static final int FINISHING_THREADS = 2;

  private final MetadataStore store;
  private final ExecutorService finishers;
  private final List<ServerServiceDefinition> services;

  /**
   * Opens the stores under {@code config.dataDir()} and builds the services.
   *
   * @param clock the source of create, update and publish times
   */
  public RegistryServer(RegistryConfig config, InstantSource clock) {
    this.store = EmbeddedMetadataStore.open(config.metadataDir());
    try {
      BlobStore blobs = FileBlobStore.open(config.blobDir());
      this.finishers = Executors.newFixedThreadPool(FINISHING_THREADS, finisherThreads());
      ModelCatalog models = new ModelCatalog(store, clock);
      VersionRepository versions = new VersionRepository(store, models, clock);
      VersionRecorder recorder = new VersionRecorder(store, blobs, models, versions, clock);
      VersionUploads uploads =
          new VersionUploads(
              config.maxArtifactBytes(),
              config.maxChunkBytes(),
              models,
              recorder,
              blobs,
              new OnnxArtifactInspector(),
              finishers);
      RegistryService registry =
          new RegistryService(models, versions, uploads, blobs, config.maxChunkBytes());
      this.services =
          List.of(ServerInterceptors.intercept(registry, new ErrorMappingInterceptor()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The registry's gRPC services, each behind the {@link ErrorMappingInterceptor}. */
  public List<ServerServiceDefinition> services() {
    return services;
  }

  /**
   * The metadata store the registry writes, for components that read or watch its keys (see {@code
   * CatalogKeys}). Owned by this server: do not close it.
   */
  public MetadataStore metadataStore() {
    return store;
  }

  /** Waits briefly for finishing uploads, then closes the metadata store. */
  @Override
  public void close() {
    finishers.shutdown();
    try {
      if (!finishers.awaitTermination(30, TimeUnit.SECONDS)) {
        finishers.shutdownNow();
      }
    } catch (InterruptedException e) {
      finishers.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      store.close();
    }
  }

  private static java.util.concurrent.ThreadFactory finisherThreads() {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "agora-registry-upload-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
