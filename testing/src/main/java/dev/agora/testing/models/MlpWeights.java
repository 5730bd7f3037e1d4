package dev.agora.testing.models;

import java.util.SplittableRandom;

/**
 * The fixed weights of {@link TestModels#mlp()} and a plain-Java forward pass over them.
 *
 * <p>Weights are drawn from {@code SplittableRandom(42)} uniformly in [-0.5, 0.5), in the order w1
 * [32x64], b1 [64], w2 [64x2], b2 [2], all row-major. Matrices are stored as Gemm's {@code B}
 * operand ({@code transB = 0}), i.e. [in, out].
 */
final class MlpWeights {
  static final int IN = 32;
  static final int HIDDEN = 64;
  static final int OUT = 2;
  private static final long SEED = 42;

  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;

  private MlpWeights(float[] w1, float[] b1, float[] w2, float[] b2) {
    this.w1 = w1;
    this.b1 = b1;
    this.w2 = w2;
    this.b2 = b2;
  }

  /** Draws the weights; every call returns equal values. */
  static MlpWeights generate() {
    SplittableRandom random = new SplittableRandom(SEED);
    float[] w1 = uniform(random, IN * HIDDEN);
    float[] b1 = uniform(random, HIDDEN);
    float[] w2 = uniform(random, HIDDEN * OUT);
    float[] b2 = uniform(random, OUT);
    return new MlpWeights(w1, b1, w2, b2);
  }

  /** relu(x * w1 + b1) * w2 + b2 for {@code batch} rows of {@code x}, row-major [batch, OUT]. */
  float[] forward(float[] input, int batch) {
    if (batch < 1 || input.length != batch * IN) {
      throw new IllegalArgumentException(
          "input must hold batch*" + IN + " values, got " + input.length + " for batch " + batch);
    }
    float[] hidden = dense(input, batch, w1, b1, IN, HIDDEN);
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = Math.max(0f, hidden[i]);
    }
    return dense(hidden, batch, w2, b2, HIDDEN, OUT);
  }

  private static float[] dense(float[] x, int batch, float[] w, float[] b, int in, int out) {
    float[] y = new float[batch * out];
    for (int row = 0; row < batch; row++) {
      for (int j = 0; j < out; j++) {
        double sum = b[j];
        for (int k = 0; k < in; k++) {
          sum += (double) x[row * in + k] * w[k * out + j];
        }
        y[row * out + j] = (float) sum;
      }
    }
    return y;
  }

  private static float[] uniform(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextDouble() - 0.5);
    }
    return values;
  }
}
