package dev.agora.inference.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.batching.InferenceJob;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.inference.fixtures.UnbatchedSchedulers;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.ModelRuntime;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.testing.models.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model cache: a memory budget, eviction, reloading, and sessions that outlive requests. */
class ModelCacheTest {
  @TempDir Path cacheDir;
  final FakeModelCatalog catalog =
      new FakeModelCatalog()
          .publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP)
          .publish("mlp", "1.1.0", TestModels.mlp(), TestSignatures.MLP)
          .publish("int64", "1.0.0", TestModels.int64Model(), TestSignatures.INT64);
  final ExecutorService threads = Executors.newFixedThreadPool(4);
  final TrackingRuntime runtime = new TrackingRuntime(new OnnxModelRuntime(1, "all"));
  ModelRepository repository;

  @AfterEach
  void tearDown() throws InterruptedException {
    repository.close();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runtime.close();
  }

  @Test
  void severalVersionsOfOneModelServeAtOnce() {
    repository = repository(1L << 30);
    ServableVersion first = repository.acquire("mlp", "1.0.0");
    ServableVersion second = repository.acquire("mlp", "1.1.0");

    assertThat(first).isNotSameAs(second);
    assertThat(repository.ready()).hasSize(2);
    assertThat(first.run(mlpInput(), List.of("output"))).hasSize(1);
    assertThat(second.run(mlpInput(), List.of("output"))).hasSize(1);
    long both = 2 * roundedToKiB(footprint("mlp", "1.0.0"));
    await().atMost(Duration.ofSeconds(10)).until(() -> repository.footprintBytes() == both);
  }

  @Test
  void aTinyBudgetEvictsAVersionThatLoadsAgainOnDemand() throws Exception {
    long one = footprint("mlp", "1.0.0");
    repository = repository(one + one / 2);
    repository.acquire("mlp", "1.0.0");
    repository.acquire("mlp", "1.1.0");
    awaitOneVersionEvicted();

    assertThat(repository.ready()).as("only one version fits").hasSize(1);
    assertThat(repository.footprintBytes()).isLessThanOrEqualTo(repository.budgetBytes());
    VersionStatus evicted =
        repository.statuses().stream()
            .filter(s -> s.state() == VersionState.UNAVAILABLE)
            .findFirst()
            .orElseThrow();
    assertThat(evicted.reason()).contains("evicted from the model cache");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.opened.stream().filter(TrackedModel::isClosed).count() == 1);

    ServableVersion again = repository.retain(evicted.model(), evicted.version());
    try {
      assertThat(again.published().version()).isEqualTo(evicted.version());
      assertThat(again.isClosed()).isFalse();
      InferenceJob job =
          new InferenceJob(
              mlpInput(), List.of("output"), 1, true, InferenceJob.NO_DEADLINE, () -> false);
      again.enqueue(job);
      assertThat(job.result().get(10, TimeUnit.SECONDS).outputs()).hasSize(1);
    } finally {
      again.release();
    }
    // Whether the reloaded version stays is W-TinyLFU's call; the budget holds either way.
    awaitOneVersionEvicted();
    assertThat(repository.footprintBytes()).isLessThanOrEqualTo(repository.budgetBytes());
    assertThat(runtime.opened)
        .as("the evicted version opened again")
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(catalog.fetchCount("mlp", "1.0.0") + catalog.fetchCount("mlp", "1.1.0"))
        .as("both versions have the same bytes, verified once and kept on disk")
        .isEqualTo(1);
  }

  @Test
  void noSessionIsClosedUnderARunningRequest() throws Exception {
    repository = repository(1L << 30);
    ServableVersion servable = repository.retain("mlp", "1.0.0");
    TrackedModel model = runtime.opened.get(0);
    model.blockRuns();
    CompletableFuture<List<OutputTensor>> running =
        CompletableFuture.supplyAsync(() -> servable.run(mlpInput(), List.of("output")), threads);
    assertThat(model.entered.await(10, TimeUnit.SECONDS)).isTrue();

    repository.unload("mlp");
    servable.release();
    assertThat(model.isClosed()).as("a request is still running").isFalse();
    assertThatThrownBy(() -> servable.run(mlpInput(), List.of("output")))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.MODEL_NOT_READY));

    model.release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).hasSize(1);
    assertThat(model.isClosed()).as("the last reference closed it").isTrue();
  }

  @Test
  void evictionWaitsForTheRequestsOfTheEvictedVersion() throws Exception {
    long one = footprint("mlp", "1.0.0");
    repository = repository(one + one / 2);
    ServableVersion first = repository.retain("mlp", "1.0.0");
    ServableVersion second = repository.retain("mlp", "1.1.0");
    awaitOneVersionEvicted();
    ServableVersion cached = repository.ready().get(0);
    ServableVersion evicted = cached == first ? second : first;
    assertThat(List.of(first, second)).contains(cached);

    assertThat(evicted.isClosed()).as("still retained by its request").isFalse();
    InferenceJob job =
        new InferenceJob(
            mlpInput(), List.of("output"), 1, true, InferenceJob.NO_DEADLINE, () -> false);
    evicted.enqueue(job);
    assertThat(job.result().get(10, TimeUnit.SECONDS).outputs())
        .as("a request that holds a reference is still served")
        .hasSize(1);
    first.release();
    second.release();
    assertThat(evicted.isClosed()).as("its last reference closed it").isTrue();
    assertThat(cached.isClosed()).as("the cache still holds it").isFalse();
  }

  @Test
  void aModelLargerThanTheWholeBudgetIsRefused() {
    repository = repository(2L << 20);
    catalog.publish("huge", "1.0.0", TestModels.mlp(), TestSignatures.MLP);
    PublishedVersion real = catalog.resolve("huge", "1.0.0");
    PublishedVersion claimed =
        new PublishedVersion("huge", "1.0.0", real.sha256(), 64L << 20, real.signature());

    assertThatThrownBy(() -> repository.load(claimed).join())
        .hasCauseInstanceOf(AgoraException.class)
        .hasMessageContaining("more than the model cache's budget");
    assertThat(repository.status("huge", "1.0.0").orElseThrow().state())
        .isEqualTo(VersionState.UNAVAILABLE);
    assertThat(repository.acquire("int64", "1.0.0").published().model()).isEqualTo("int64");
  }

  /** The loading thread weighs a version just after handing it out; wait for that eviction. */
  private void awaitOneVersionEvicted() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              repository.cleanUp();
              return repository.ready().size() == 1;
            });
  }

  private ModelRepository repository(long budgetBytes) {
    return new ModelRepository(
        catalog,
        runtime,
        UnbatchedSchedulers.on(threads),
        new RepositorySettings(cacheDir, Duration.ofSeconds(2), budgetBytes),
        threads,
        System::nanoTime);
  }

  private long footprint(String model, String version) {
    return ModelFootprint.estimateBytes(catalog.resolve(model, version));
  }

  private static long roundedToKiB(long bytes) {
    return (bytes + 1023) / 1024 * 1024;
  }

  private static List<InputTensor> mlpInput() {
    ByteBuffer data = ByteBuffer.allocateDirect(32 * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.put(Tensors.fp32(Tensors.sampleFp32(32, 5)).asReadOnlyByteBuffer()).flip();
    return List.of(new InputTensor("input", Datatype.FP32, new long[] {1, 32}, data));
  }

  /** Wraps a runtime to see which sessions were opened and closed. */
  static final class TrackingRuntime implements ModelRuntime {
    final ModelRuntime delegate;
    final List<TrackedModel> opened = new CopyOnWriteArrayList<>();

    TrackingRuntime(ModelRuntime delegate) {
      this.delegate = delegate;
    }

    @Override
    public LoadedModel load(Path artifact) {
      TrackedModel model = new TrackedModel(delegate.load(artifact));
      opened.add(model);
      return model;
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** A loaded model that knows whether it was closed and can hold its runs. */
  static final class TrackedModel implements LoadedModel {
    final LoadedModel delegate;
    final AtomicBoolean closed = new AtomicBoolean();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean blocking;

    TrackedModel(LoadedModel delegate) {
      this.delegate = delegate;
    }

    void blockRuns() {
      blocking = true;
    }

    boolean isClosed() {
      return closed.get();
    }

    @Override
    public ModelSignature signature() {
      return delegate.signature();
    }

    @Override
    public List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
      if (closed.get()) {
        throw new IllegalStateException("run on a closed session");
      }
      if (blocking) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.run(inputs, outputNames);
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        throw new IllegalStateException("closed twice");
      }
      delegate.close();
    }
  }
}
