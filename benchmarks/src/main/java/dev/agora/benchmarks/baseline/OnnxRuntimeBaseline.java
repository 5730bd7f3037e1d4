package dev.agora.benchmarks.baseline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.agora.testing.models.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process ONNX Runtime on the demo MLP (32 → 64 → 2, FP32), or with {@code -p model=wide} on
 * {@link TestModels#wideMlp()} (256 → 1536 → 1536 → 16): build the input tensor from a direct
 * buffer, run the session, read the output. No network, no protocol: the floor for serving.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OnnxRuntimeBaseline {
  static final int FEATURES = 32;

  @Param({"1", "32"})
  int batch;

  /** {@code mlp} (the default) or {@code wide}. */
  @Param({"mlp"})
  String model;

  private OrtEnvironment env;
  private OrtSession session;
  private FloatBuffer input;
  private long[] shape;

  @Setup(Level.Trial)
  public void setUp() throws OrtException {
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    boolean wide = model.equals("wide");
    if (!wide && !model.equals("mlp")) {
      throw new IllegalArgumentException("model must be mlp or wide, not " + model);
    }
    int features = wide ? TestModels.WIDE_FEATURES : FEATURES;
    session = env.createSession(wide ? TestModels.wideMlp() : TestModels.mlp(), options);
    input =
        ByteBuffer.allocateDirect(batch * features * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < batch * features; i++) {
      input.put(i, (float) random.nextDouble(-1, 1));
    }
    shape = new long[] {batch, features};
  }

  @Benchmark
  public float run() throws OrtException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
        OrtSession.Result result = session.run(Map.of("input", tensor))) {
      FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
      return output.get(0);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    session.close();
  }
}
