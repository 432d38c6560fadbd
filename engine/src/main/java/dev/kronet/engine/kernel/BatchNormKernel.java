package dev.kronet.engine.kernel;

/**
 * Batch-normalisation loops over a tensor laid out as {@code [N, C, S]} (S = H·W for images, 1 for
 * {@code [N, C]}): element {@code (n, c, s)} lives at {@code (n·C + c)·S + s}. Every method works
 * channel by channel, so channels are spread over {@link Parallel} with no shared writes; each
 * channel is reduced in a fixed order, so results do not depend on the thread count.
 *
 * <p>Statistics are accumulated in double: a channel of a large batch sums ~10⁵ floats, where a
 * float accumulator would lose several digits of the variance.
 */
public final class BatchNormKernel {
  /** Below this many elements per chunk a channel loop is not worth a task. */
  private static final int MIN_CHUNK_ELEMENTS = 1 << 14;

  private BatchNormKernel() {}

  private static int minChannels(int n, int s) {
    return Math.max(1, MIN_CHUNK_ELEMENTS / Math.max(1, n * s));
  }

  /**
   * Per-channel mean and biased variance (divide by N·S) of {@code x}, two-pass in double for
   * accuracy: first the mean, then the mean of squared deviations.
   */
  public static void channelStats(
      double[] mean, double[] biasedVar, float[] x, int xOff, int n, int c, int s) {
    Parallel.forRange(
        c,
        minChannels(n, s),
        (from, to) -> {
          double count = (double) n * s;
          for (int ch = from; ch < to; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
              int base = xOff + (b * c + ch) * s;
              for (int i = 0; i < s; i++) {
                sum += x[base + i];
              }
            }
            double m = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
              int base = xOff + (b * c + ch) * s;
              for (int i = 0; i < s; i++) {
                double d = x[base + i] - m;
                sq += d * d;
              }
            }
            mean[ch] = m;
            biasedVar[ch] = sq / count;
          }
        });
  }

  /**
   * {@code out = (x - mean)·invStd·weight + bias} per channel, folded into one multiply-add {@code
   * x·scale + shift}. {@code weight} and {@code bias} may be null (1 and 0).
   */
  public static void normalize(
      float[] out,
      float[] x,
      int xOff,
      int n,
      int c,
      int s,
      float[] mean,
      float[] invStd,
      float[] weight,
      float[] bias) {
    Parallel.forRange(
        c,
        minChannels(n, s),
        (from, to) -> {
          for (int ch = from; ch < to; ch++) {
            float scale = invStd[ch] * (weight == null ? 1f : weight[ch]);
            float shift = (bias == null ? 0f : bias[ch]) - mean[ch] * scale;
            for (int b = 0; b < n; b++) {
              int base = (b * c + ch) * s;
              for (int i = 0; i < s; i++) {
                out[base + i] = x[xOff + base + i] * scale + shift;
              }
            }
          }
        });
  }

  /**
   * Backward of batch norm. Writes {@code gradWeight[c] = Σ g·x̂} and {@code gradBias[c] = Σ g}
   * (either may be null to skip), and, when {@code gradX} is non-null, the input gradient.
   *
   * <p>With {@code batchStats} (training mode, mean and variance are functions of x) the input
   * gradient is the fused formula {@code dx = w·invStd/M · (M·g − Σg − x̂·Σ(g·x̂))}, M = N·S;
   * without (eval mode, running statistics are constants) it is {@code dx = g·w·invStd}.
   */
  public static void backward(
      float[] gradX,
      float[] gradWeight,
      float[] gradBias,
      float[] g,
      float[] x,
      int xOff,
      int n,
      int c,
      int s,
      float[] mean,
      float[] invStd,
      float[] weight,
      boolean batchStats) {
    Parallel.forRange(
        c,
        minChannels(n, s),
        (from, to) -> {
          double count = (double) n * s;
          for (int ch = from; ch < to; ch++) {
            float m = mean[ch];
            float is = invStd[ch];
            double sumG = 0;
            double sumGXhat = 0;
            for (int b = 0; b < n; b++) {
              int base = (b * c + ch) * s;
              for (int i = 0; i < s; i++) {
                float gi = g[base + i];
                sumG += gi;
                sumGXhat += (double) gi * ((x[xOff + base + i] - m) * is);
              }
            }
            if (gradWeight != null) {
              gradWeight[ch] = (float) sumGXhat;
            }
            if (gradBias != null) {
              gradBias[ch] = (float) sumG;
            }
            if (gradX == null) {
              continue;
            }
            float w = weight == null ? 1f : weight[ch];
            float k = w * is;
            if (batchStats) {
              float meanG = (float) (sumG / count);
              float meanGXhat = (float) (sumGXhat / count);
              for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                  float xhat = (x[xOff + base + i] - m) * is;
                  gradX[base + i] = k * (g[base + i] - meanG - xhat * meanGXhat);
                }
              }
            } else {
              for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                  gradX[base + i] = k * g[base + i];
                }
              }
            }
          }
        });
  }
}
