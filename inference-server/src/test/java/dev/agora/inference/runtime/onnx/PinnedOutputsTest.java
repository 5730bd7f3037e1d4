package dev.agora.inference.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.runtime.SessionSettings;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import dev.agora.testing.models.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a model has shown its output shapes for some input shapes, ONNX Runtime writes later outputs
 * into pooled buffers; the answers stay exactly those of an unpinned run, also when a model's
 * output shape depends on the input's values.
 */
class PinnedOutputsTest {
  @TempDir Path dir;
  final TensorBufferPool pool = new TensorBufferPool(1 << 16, 1 << 20);
  OnnxModelRuntime runtime;

  @BeforeEach
  void open() {
    runtime = new OnnxModelRuntime(SessionSettings.defaults(), pool);
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void repeatedShapesRunPinnedWithTheSameAnswers() throws IOException {
    try (LoadedModel mlp = load("mlp", TestModels.mlp())) {
      float[] values = new float[2 * 32];
      for (int i = 0; i < values.length; i++) {
        values[i] = (i % 7) * 0.25f - 0.5f;
      }
      float[] unpinned = null;

      for (int run = 0; run < 3; run++) {
        List<OutputTensor> outputs =
            mlp.run(List.of(floats("input", values, 2, 32)), List.of("output"));
        assertThat(outputs.get(0).shape()).containsExactly(2, 2);
        if (unpinned == null) {
          unpinned = floatsOf(outputs.get(0));
          assertThat(unpinned).containsExactly(TestModels.mlpReference(values, 2), within(1e-5f));
        }
        assertThat(floatsOf(outputs.get(0))).as("bit for bit").containsExactly(unpinned);
        assertThat(outputs.get(0).data().isDirect()).as("the caller owns a heap copy").isFalse();
        assertThat(pool.allocations())
            .as("run %d: the first run learns the shapes, later ones reuse one pooled buffer", run)
            .isEqualTo(run == 0 ? 0 : 1);
      }
    }
  }

  @Test
  void anOutputShapedByTheInputsValuesIsAnsweredCorrectly() throws IOException {
    try (LoadedModel nonZero = load("value-shaped", TestModels.valueShaped())) {
      float[][] inputs = {
        {3, 0, 0, 0}, {3, 4, 0, 5}, {0, 0, 0, 6}, {0, 0, 0, 6}, {1, 1, 1, 1}, {0, 0, 0, 6}
      };
      for (float[] x : inputs) {
        List<OutputTensor> outputs = nonZero.run(List.of(floats("x", x, 4)), List.of("indices"));
        long[] expected = nonZeroPositions(x);
        assertThat(outputs.get(0).shape()).containsExactly(1, expected.length);
        assertThat(longsOf(outputs.get(0))).containsExactly(expected);
      }
    }
  }

  private LoadedModel load(String name, byte[] model) throws IOException {
    Path file = dir.resolve(name + ".onnx");
    Files.write(file, model);
    return runtime.load(file);
  }

  private static InputTensor floats(String name, float[] values, long... shape) {
    ByteBuffer data = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      data.putFloat(value);
    }
    data.flip();
    return new InputTensor(name, Datatype.FP32, shape, data);
  }

  private static float[] floatsOf(OutputTensor output) {
    ByteBuffer data = output.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[data.remaining() / 4];
    data.asFloatBuffer().get(values);
    return values;
  }

  private static long[] longsOf(OutputTensor output) {
    ByteBuffer data = output.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long[] values = new long[data.remaining() / 8];
    data.asLongBuffer().get(values);
    return values;
  }

  private static long[] nonZeroPositions(float[] x) {
    return java.util.stream.IntStream.range(0, x.length)
        .filter(i -> x[i] != 0)
        .asLongStream()
        .toArray();
  }
}
