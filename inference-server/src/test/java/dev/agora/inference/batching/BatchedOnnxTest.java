package dev.agora.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.onnx.OnnxModelRuntime;
import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.BytesElements;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import dev.agora.testing.models.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the real ONNX Runtime: requests coalesced into one execution get exactly the outputs they
 * would have got running alone.
 */
class BatchedOnnxTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor();
  final OnnxModelRuntime runtime = new OnnxModelRuntime(1, "all");
  final List<LoadedModel> models = new ArrayList<>();

  @AfterEach
  void close() {
    models.forEach(LoadedModel::close);
    runtime.close();
  }

  @Test
  void batchedMlpOutputsEqualUnbatchedOnesBitForBit() throws IOException {
    LoadedModel mlp = load(TestModels.mlp());
    SplittableRandom random = new SplittableRandom(11);
    List<InferenceJob> jobs = new ArrayList<>();
    for (int rows : new int[] {1, 3, 1, 2, 5, 1, 4}) {
      ByteBuffer data = ByteBuffer.allocateDirect(rows * 32 * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < rows * 32; i++) {
        data.putFloat((float) random.nextDouble(-1, 1));
      }
      data.flip();
      jobs.add(job(new InputTensor("input", Datatype.FP32, new long[] {rows, 32}, data), "output"));
    }

    runCoalesced(mlp, jobs);

    for (InferenceJob job : jobs) {
      OutputTensor batched = job.result().join().outputs().get(0);
      OutputTensor alone = mlp.run(job.inputs(), job.outputNames()).get(0);
      assertThat(batched.shape()).containsExactly(alone.shape());
      assertThat(floats(batched.data())).containsExactly(floats(alone.data()));
      assertThat(job.result().join().batchSize()).isEqualTo(17);
    }
  }

  @Test
  void batchedStringsAreSplitBackByRows() throws IOException {
    LoadedModel identity = load(TestModels.identity("BYTES"));
    List<InferenceJob> jobs = new ArrayList<>();
    String[][] values = {
      {"a", "", "ünïcødé", "😀"}, {"x", "yy", "zzz", "wwww", "1", "2", "3", "4"}, {"", "", "", ""}
    };
    for (String[] strings : values) {
      List<byte[]> bytes = new ArrayList<>();
      for (String s : strings) {
        bytes.add(s.getBytes(StandardCharsets.UTF_8));
      }
      InputTensor x =
          new InputTensor(
              "x", Datatype.BYTES, new long[] {strings.length / 4, 4}, BytesElements.encode(bytes));
      jobs.add(job(x, "y"));
    }

    runCoalesced(identity, jobs);

    for (int j = 0; j < jobs.size(); j++) {
      OutputTensor y = jobs.get(j).result().join().outputs().get(0);
      assertThat(y.shape()).containsExactly(values[j].length / 4, 4);
      List<String> strings =
          BytesElements.elements(y.data()).stream()
              .map(b -> StandardCharsets.UTF_8.decode(b).toString())
              .toList();
      assertThat(strings).containsExactly(values[j]);
    }
  }

  private void runCoalesced(LoadedModel model, List<InferenceJob> jobs) {
    BatchExecution execution =
        new BatchExecution(
            model, new TensorBufferPool(1 << 20, 1 << 22), clock, new VersionStatistics());
    DynamicBatcher batcher =
        new DynamicBatcher(
            new BatchPolicy(64, TimeUnit.MILLISECONDS.toNanos(1), 1),
            execution,
            ExecutionSlots.poolOnly(executor),
            clock,
            clock);
    jobs.forEach(batcher::enqueue);
    clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(executor.queued()).as("one execution for all").isEqualTo(1);
    executor.runAll();
  }

  private LoadedModel load(byte[] bytes) throws IOException {
    Path file = Files.write(dir.resolve("model" + models.size() + ".onnx"), bytes);
    LoadedModel model = runtime.load(file);
    models.add(model);
    return model;
  }

  private static InferenceJob job(InputTensor input, String output) {
    return new InferenceJob(
        List.of(input), List.of(output), input.dim(0), true, InferenceJob.NO_DEADLINE, () -> false);
  }

  private static float[] floats(ByteBuffer data) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[in.remaining() / 4];
    in.asFloatBuffer().get(values);
    return values;
  }
}
