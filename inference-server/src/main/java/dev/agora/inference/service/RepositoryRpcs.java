package dev.agora.inference.service;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.ModelCatalog;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.repository.ModelRepository;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.ModelStatisticsResponse;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.RepositoryModelLoadRequest;
import dev.agora.proto.inference.RepositoryModelUnloadRequest;
import dev.agora.proto.inference.RepositoryModelUnloadResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The model-repository extension ({@code RepositoryIndex}, {@code RepositoryModelLoad}, {@code
 * RepositoryModelUnload}) and {@code ModelStatistics}. Loading always means the latest published
 * version from the registry; Triton's config and file overrides are refused, because a version's
 * content is whatever was published.
 */
final class RepositoryRpcs {
  private final ModelCatalog catalog;
  private final ModelRepository repository;

  RepositoryRpcs(ModelCatalog catalog, ModelRepository repository) {
    this.catalog = catalog;
    this.repository = repository;
  }

  RepositoryIndexResponse index(boolean readyOnly) {
    return RepositoryReports.index(catalog.listModels(), repository.statuses(), readyOnly);
  }

  CompletableFuture<ServableVersion> load(RepositoryModelLoadRequest request) {
    if (request.getModelName().isEmpty()) {
      throw AgoraException.invalidField("model_name", "name the model to load");
    }
    if (!request.getParametersMap().isEmpty()) {
      throw AgoraException.of(
          ErrorReason.NOT_IMPLEMENTED,
          "Agora loads models from its registry; publish a version instead of sending a config or"
              + " files with the load request.");
    }
    return repository.reload(request.getModelName());
  }

  RepositoryModelUnloadResponse unload(RepositoryModelUnloadRequest request) {
    if (request.getModelName().isEmpty()) {
      throw AgoraException.invalidField("model_name", "name the model to unload");
    }
    repository.unload(request.getModelName());
    return RepositoryModelUnloadResponse.getDefaultInstance();
  }

  /**
   * Statistics of the loaded versions matching {@code model} and {@code version} (empty matches
   * all). A named model that is not loaded gets one all-zero entry, or NOT_FOUND when unknown.
   */
  ModelStatisticsResponse statistics(String model, String version) {
    ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
    for (ServableVersion servable : repository.ready()) {
      PublishedVersion published = servable.published();
      if ((model.isEmpty() || published.model().equals(model))
          && (version.isEmpty() || published.version().equals(version))) {
        response.addModelStats(RepositoryReports.statistics(servable));
      }
    }
    if (response.getModelStatsCount() == 0 && !model.isEmpty()) {
      response.addModelStats(RepositoryReports.emptyStatistics(repository.resolve(model, version)));
    }
    return response.build();
  }
}
