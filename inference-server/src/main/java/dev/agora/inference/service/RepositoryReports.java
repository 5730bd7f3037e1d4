package dev.agora.inference.service;

import dev.agora.inference.catalog.CatalogModel;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.repository.ModelFootprint;
import dev.agora.inference.repository.ServableVersion;
import dev.agora.inference.repository.VersionState;
import dev.agora.inference.repository.VersionStatus;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.proto.inference.InferBatchStatistics;
import dev.agora.proto.inference.InferStatistics;
import dev.agora.proto.inference.MemoryUsage;
import dev.agora.proto.inference.ModelStatistics;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.agora.proto.inference.StatisticDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the repository index and the statistics answers from the repository's state. */
final class RepositoryReports {
  private RepositoryReports() {}

  /**
   * One entry per version the server has loaded, is loading or failed to load, plus each catalog
   * model's latest published version when the server has not touched it (state empty).
   */
  static RepositoryIndexResponse index(
      List<CatalogModel> models, List<VersionStatus> statuses, boolean readyOnly) {
    Map<String, List<VersionStatus>> byModel = new LinkedHashMap<>();
    models.forEach(m -> byModel.put(m.name(), new ArrayList<>()));
    statuses.forEach(s -> byModel.computeIfAbsent(s.model(), k -> new ArrayList<>()).add(s));
    Map<String, String> latest = new LinkedHashMap<>();
    models.forEach(m -> latest.put(m.name(), m.latestPublishedVersion()));
    RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
    byModel.forEach(
        (model, known) -> {
          String latestVersion = latest.getOrDefault(model, "");
          boolean latestKnown = known.stream().anyMatch(s -> s.version().equals(latestVersion));
          if (!readyOnly && !latestKnown) {
            index.addModels(untouched(model, latestVersion));
          }
          known.stream()
              .filter(s -> !readyOnly || s.state() == VersionState.READY)
              .forEach(s -> index.addModels(entry(s)));
        });
    return index.build();
  }

  static ModelStatistics statistics(ServableVersion servable) {
    VersionStatistics.Snapshot stats = servable.statistics().snapshot();
    ModelStatistics.Builder model = ModelStatistics.newBuilder();
    for (VersionStatistics.BatchSize batch : stats.batchSizes()) {
      model.addBatchStats(
          InferBatchStatistics.newBuilder()
              .setBatchSize(batch.batchSize())
              .setComputeInput(duration(batch.computeInput()))
              .setComputeInfer(duration(batch.computeInfer()))
              .setComputeOutput(duration(batch.computeOutput())));
    }
    model.addMemoryUsage(
        MemoryUsage.newBuilder()
            .setType("CPU")
            .setByteSize(ModelFootprint.estimateBytes(servable.published())));
    return model
        .setName(servable.published().model())
        .setVersion(servable.published().version())
        .setLastInference(stats.lastInferenceEpochMillis())
        .setInferenceCount(stats.inferenceCount())
        .setExecutionCount(stats.executionCount())
        .setInferenceStats(
            InferStatistics.newBuilder()
                .setSuccess(duration(stats.success()))
                .setFail(duration(stats.fail()))
                .setQueue(duration(stats.queue()))
                .setComputeInput(duration(stats.computeInput()))
                .setComputeInfer(duration(stats.computeInfer()))
                .setComputeOutput(duration(stats.computeOutput())))
        .build();
  }

  /** The statistics of a version that has not served anything on this server. */
  static ModelStatistics emptyStatistics(PublishedVersion version) {
    return ModelStatistics.newBuilder()
        .setName(version.model())
        .setVersion(version.version())
        .setInferenceStats(InferStatistics.getDefaultInstance())
        .build();
  }

  private static ModelIndex untouched(String model, String latestVersion) {
    ModelIndex.Builder entry = ModelIndex.newBuilder().setName(model).setVersion(latestVersion);
    if (latestVersion.isEmpty()) {
      entry
          .setState(VersionState.UNAVAILABLE.name())
          .setReason("The model has no published version.");
    }
    return entry.build();
  }

  private static ModelIndex entry(VersionStatus status) {
    return ModelIndex.newBuilder()
        .setName(status.model())
        .setVersion(status.version())
        .setState(status.state().name())
        .setReason(status.reason())
        .build();
  }

  private static StatisticDuration duration(VersionStatistics.Duration duration) {
    return StatisticDuration.newBuilder()
        .setCount(duration.count())
        .setNs(duration.nanos())
        .build();
  }
}
