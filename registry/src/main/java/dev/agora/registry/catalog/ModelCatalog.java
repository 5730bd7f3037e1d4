package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Creates, reads and lists model records. */
public final class ModelCatalog {
  /** The page size when a request asks for none. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** The largest page size; larger requests are served this many. */
  public static final int MAX_PAGE_SIZE = 1000;

  private final MetadataStore store;
  private final InstantSource clock;

  /** A catalog over {@code store}, stamping records with {@code clock}. */
  public ModelCatalog(MetadataStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Registers a model. Output-only fields of {@code requested} are ignored.
   *
   * @throws AgoraException {@code INVALID_FIELD} for a bad {@code model.name}, {@code
   *     MODEL_ALREADY_EXISTS} when the name is taken
   */
  public Model create(Model requested) {
    String name = CatalogNames.requireModelName("model.name", requested.getName());
    Instant now = clock.instant();
    Model record =
        requested.toBuilder()
            .setCreateTime(StoredRecords.timestamp(now))
            .setUpdateTime(StoredRecords.timestamp(now))
            .clearLatestPublishedVersion()
            .clearRevision()
            .build();
    String key = CatalogKeys.model(name);
    TxnResult result =
        store.commit(Txn.builder().ifAbsent(key).put(key, record.toByteArray()).build());
    if (!result.succeeded()) {
      throw AgoraException.builder(
              ErrorReason.MODEL_ALREADY_EXISTS, "A model named '" + name + "' already exists.")
          .metadata("model", name)
          .build();
    }
    return record.toBuilder().setRevision(result.revision()).build();
  }

  /** The model, or empty when it does not exist. */
  public Optional<Model> find(String name) {
    return store.get(CatalogKeys.model(name)).map(StoredRecords::model);
  }

  /**
   * The model.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND} when it does not exist
   */
  public Model get(String name) {
    return find(name).orElseThrow(() -> notFound(name));
  }

  /**
   * Models in name order.
   *
   * @param pageSize 0 for {@value #DEFAULT_PAGE_SIZE}; at most {@value #MAX_PAGE_SIZE} are returned
   * @param pageToken empty for the first page, otherwise a previous response's next_page_token
   */
  public ListModelsResponse list(int pageSize, String pageToken) {
    int size = PageTokens.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, CatalogNames::isModelName);
    String cursor = after == null ? null : CatalogKeys.model(after);
    List<Model> models = new ArrayList<>(size + 1);
    boolean more = true;
    while (more && models.size() <= size) {
      RangeResult page = store.range(CatalogKeys.MODELS, cursor, size + 1);
      for (KeyValue kv : page.kvs()) {
        if (CatalogKeys.isModelKey(kv.key()) && models.size() <= size) {
          models.add(StoredRecords.model(kv));
        }
      }
      more = page.more();
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    }
    ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
    if (models.size() > size) {
      models = models.subList(0, size);
      response.setNextPageToken(PageTokens.encode(models.get(size - 1).getName()));
    }
    return response.addAllModels(models).build();
  }

  static AgoraException notFound(String name) {
    return AgoraException.builder(ErrorReason.MODEL_NOT_FOUND, "No model is named '" + name + "'.")
        .metadata("model", name)
        .build();
  }
}
