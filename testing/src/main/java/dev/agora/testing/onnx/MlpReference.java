package dev.agora.testing.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.agora.testing.models.TestModels;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * What ONNX Runtime itself answers for {@link TestModels#mlp()}: the expected output that tests
 * compare a server's answer with.
 */
public final class MlpReference {
  private static final int FEATURES = 32;

  private MlpReference() {}

  /**
   * Runs {@code rows} rows of {@code input} ({@code rows * 32} floats, row by row) through the MLP
   * in process and returns its output, {@code rows * 2} floats.
   */
  public static float[] outputs(float[] input, int rows) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(TestModels.mlp());
        OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {rows, FEATURES});
        OrtSession.Result result = session.run(Map.of("input", tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] expected = new float[out.remaining()];
      out.get(expected);
      return expected;
    }
  }
}
