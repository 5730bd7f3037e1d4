package dev.agora.registry.service;

import dev.agora.registry.aliases.AliasHistory;
import dev.agora.registry.aliases.ModelAliases;
import dev.agora.registry.artifact.ArtifactInspector;
import dev.agora.registry.audit.AuditLog;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.audit.CallerIdentity;
import dev.agora.registry.blob.BlobStore;
import dev.agora.registry.catalog.ArtifactReferences;
import dev.agora.registry.catalog.CurationQueries;
import dev.agora.registry.catalog.GovernanceConfig;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.RevisionBarrier;
import dev.agora.registry.catalog.VersionEditor;
import dev.agora.registry.catalog.VersionLifecycle;
import dev.agora.registry.catalog.VersionRecorder;
import dev.agora.registry.catalog.VersionRepository;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.usage.UsageLedger;
import io.grpc.BindableService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Builds the registry's gRPC services ({@code RegistryService}, {@code AliasService}, {@code
 * AuditService}) and the catalog, alias and audit collaborators they share.
 */
public final class RegistryServices {
  /** The longest a read waits for its {@code min_revision}. */
  public static final Duration MAX_READ_WAIT = Duration.ofSeconds(2);

  private RegistryServices() {}

  /**
   * The services over one store and blob store.
   *
   * @param limits the artifact and chunk limits
   * @param governance the deprecation notice period
   * @param inspector checks and describes uploaded artifacts
   * @param finishers runs upload finishing off the transport threads
   * @param clock the source of every recorded time
   */
  public static List<BindableService> create(
      MetadataStore store,
      BlobStore blobs,
      UploadLimits limits,
      GovernanceConfig governance,
      ArtifactInspector inspector,
      Executor finishers,
      InstantSource clock) {
    AuditTrail audit = new AuditTrail(CallerIdentity::current);
    ModelCatalog models = new ModelCatalog(store, clock, audit);
    VersionRepository versions = new VersionRepository(store, models, clock, audit);
    ArtifactReferences references = new ArtifactReferences(store, blobs);
    VersionRecorder recorder =
        new VersionRecorder(store, references, models, versions, clock, audit);
    VersionEditor editor = new VersionEditor(store, models, versions, references, clock, audit);
    VersionLifecycle lifecycle =
        new VersionLifecycle(store, models, versions, governance, clock, audit);
    VersionUploads uploads =
        new VersionUploads(
            limits.maxArtifactBytes(),
            limits.maxChunkBytes(),
            models,
            recorder,
            blobs,
            inspector,
            finishers);
    ReadConsistency reads = new ReadConsistency(new RevisionBarrier(store, MAX_READ_WAIT));
    AliasHistory history = new AliasHistory(store, models, audit);
    ModelAliases aliases = new ModelAliases(store, models, versions, history, clock, audit);
    return List.of(
        new RegistryService(
            models,
            versions,
            editor,
            lifecycle,
            new CurationQueries(models, versions, new UsageLedger(store), clock),
            uploads,
            blobs,
            reads,
            limits.maxChunkBytes()),
        new AliasService(aliases, history, reads),
        new AuditService(new AuditLog(store), reads));
  }

  /**
   * The size limits of uploads and downloads.
   *
   * @param maxArtifactBytes the largest artifact an upload may carry
   * @param maxChunkBytes the largest upload chunk, and the size of download chunks
   */
  public record UploadLimits(long maxArtifactBytes, int maxChunkBytes) {}
}
