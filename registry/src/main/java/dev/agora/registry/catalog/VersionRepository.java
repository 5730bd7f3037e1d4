package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.SignatureComparison;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads, lists and publishes model versions. New versions are recorded by {@link VersionRecorder};
 * drafts are edited and deleted by {@link VersionEditor}.
 */
public final class VersionRepository {
  /** How often a write is retried when a concurrent writer changed a compared record. */
  static final int MAX_ATTEMPTS = 16;

  private static final int SCAN_BATCH = 500;

  private final MetadataStore store;
  private final ModelCatalog models;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** A repository over {@code store}, stamping publish times with {@code clock}. */
  public VersionRepository(
      MetadataStore store, ModelCatalog models, InstantSource clock, AuditTrail audit) {
    this.store = store;
    this.models = models;
    this.clock = clock;
    this.audit = audit;
  }

  /** The version, or empty when it does not exist. */
  public Optional<ModelVersion> find(String model, String version) {
    return store.get(CatalogKeys.version(model, version)).map(StoredRecords::version);
  }

  /**
   * The version.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND} or {@code VERSION_NOT_FOUND}
   */
  public ModelVersion get(String model, String version) {
    Optional<ModelVersion> found = find(model, version);
    if (found.isPresent()) {
      return found.get();
    }
    models.get(model);
    throw AgoraException.builder(
            ErrorReason.VERSION_NOT_FOUND,
            "Model '" + model + "' has no version '" + version + "'.")
        .metadata("model", model)
        .metadata("version", version)
        .build();
  }

  /**
   * A model's versions, highest semantic version first.
   *
   * @param pageSize 0 for the default; capped like {@link ModelCatalog#list}
   * @param pageToken empty for the first page, otherwise a previous response's next_page_token
   * @throws AgoraException {@code MODEL_NOT_FOUND} when the model does not exist
   */
  public ListVersionsResponse list(String model, int pageSize, String pageToken) {
    int size =
        PageTokens.pageSize(pageSize, ModelCatalog.DEFAULT_PAGE_SIZE, ModelCatalog.MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, text -> SemanticVersions.parse(text) != null);
    models.get(model);
    List<ModelVersion> versions = new ArrayList<>();
    for (ModelVersion version : all(model)) {
      if (after == null || SemanticVersions.isOlder(version.getVersion(), after)) {
        versions.add(version);
      }
    }
    versions.sort((a, b) -> SemanticVersions.NEWEST_FIRST.compare(a.getVersion(), b.getVersion()));
    ListVersionsResponse.Builder response = ListVersionsResponse.newBuilder();
    if (versions.size() > size) {
      versions = versions.subList(0, size);
      response.setNextPageToken(PageTokens.encode(versions.get(size - 1).getVersion()));
    }
    return response.addAllVersions(versions).build();
  }

  /** Every version of the model, in key order. */
  List<ModelVersion> all(String model) {
    List<ModelVersion> all = new ArrayList<>();
    String prefix = CatalogKeys.versionsOf(model);
    String cursor = null;
    RangeResult page;
    do {
      page = store.range(prefix, cursor, SCAN_BATCH);
      page.kvs().forEach(kv -> all.add(StoredRecords.version(kv)));
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    } while (page.more());
    return all;
  }

  /**
   * Makes a DRAFT version PUBLISHED and raises the model's latest published version in the same
   * transaction, after comparing its signature again with the baseline of that moment. Publishing a
   * PUBLISHED version returns it unchanged.
   *
   * @throws AgoraException {@code LIFECYCLE_VIOLATION} for any other stage, {@code
   *     INCOMPATIBLE_SIGNATURE} when a breaking change needs a major version, {@code CONFLICT} when
   *     concurrent writers keep winning
   */
  public ModelVersion publish(String model, String version) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      ModelVersion current = get(model, version);
      if (current.getStage() == Stage.STAGE_PUBLISHED) {
        return current;
      }
      if (current.getStage() != Stage.STAGE_DRAFT) {
        throw CatalogRefusals.onlyDraft(current, "published");
      }
      Model owner = models.get(model);
      CatalogRefusals.requireFastPath(owner, current);
      Optional<ModelVersion> published =
          tryPublish(owner, current, current.toBuilder(), "published ");
      if (published.isPresent()) {
        return published.get();
      }
    }
    throw CatalogRefusals.conflict(model + " " + version);
  }

  /**
   * One attempt at publishing {@code current} with the extra fields in {@code changes}, after
   * comparing its signature with the baseline of that moment.
   *
   * @return empty when a concurrent writer changed the version or the model first
   * @throws AgoraException {@code INCOMPATIBLE_SIGNATURE}
   */
  Optional<ModelVersion> tryPublish(
      Model model, ModelVersion current, ModelVersion.Builder changes, String summary) {
    SignatureComparison comparison =
        CompatibilityCheck.compare(
            all(model.getName()), current.getVersion(), current.getSignature());
    CompatibilityCheck.requireAllowed(model.getName(), current.getVersion(), comparison);
    Instant now = clock.instant();
    ModelVersion published =
        changes
            .setStage(Stage.STAGE_PUBLISHED)
            .setPublishTime(StoredRecords.timestamp(now))
            .setCompatibility(comparison)
            .clearRevision()
            .build();
    Model updated =
        model.toBuilder()
            .setLatestPublishedVersion(
                SemanticVersions.higher(model.getLatestPublishedVersion(), current.getVersion()))
            .setUpdateTime(StoredRecords.timestamp(now))
            .clearRevision()
            .build();
    String versionKey = CatalogKeys.version(current.getModel(), current.getVersion());
    String modelKey = CatalogKeys.model(model.getName());
    Txn.Builder txn =
        Txn.builder()
            .ifModRevision(versionKey, current.getRevision())
            .ifModRevision(modelKey, model.getRevision())
            .put(versionKey, published.toByteArray())
            .put(modelKey, updated.toByteArray());
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_VERSION_PUBLISHED, model.getName(), now)
            .setVersion(current.getVersion())
            .setTeam(model.getOwnerTeam())
            .setRevisionBefore(current.getRevision())
            .setSummary(summary + current.getVersion() + " (" + comparison.getSummary() + ")"));
    TxnResult result = store.commit(txn.build());
    return result.succeeded()
        ? Optional.of(published.toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }
}
