package dev.kronet.engine.kernel;

/**
 * Batch-normalisation loops over a tensor laid out as {@code [N, C, S]} (S = H·W for images, 1 for
 * {@code [N, C]}): element {@code (n, c, s)} lives at {@code (n·C + c)·S + s}. Every method works
 * channel by channel, so channels are spread over {@link Parallel} with no shared writes; each
 * channel is reduced in a fixed order, so results do not depend on the thread count.
 *
 * <p>Statistics are accumulated in double: a channel of a large batch sums ~10⁵ floats, where a
 * float accumulator would lose several digits of the variance. The row reductions run {@link
 * BatchNormSimd} (floats widened to double vectors) when {@link Simd#ENABLED}; their scalar twins
 * sum each row into four interleaved accumulators added in a fixed order (one accumulator is a
 * chain of dependent double additions; the reductions were a third of a Kronecker ResNet-20's
 * backward pass with one).
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
              sum += sum(x, xOff + (b * c + ch) * s, s);
            }
            double m = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
              sq += squaredDeviations(x, xOff + (b * c + ch) * s, s, m);
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
              sumG += sum(g, base, s);
              sumGXhat += dotNormalized(g, base, x, xOff + base, s, m, is);
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

  /** {@code Σ x[off + i]} for i < s, in double ({@link BatchNormSimd} when enabled). */
  static double sum(float[] x, int off, int s) {
    return Simd.ENABLED ? BatchNormSimd.sum(x, off, s) : sumScalar(x, off, s);
  }

  /** {@code Σ (x[off + i] − m)²} for i < s, in double ({@link BatchNormSimd} when enabled). */
  static double squaredDeviations(float[] x, int off, int s, double m) {
    return Simd.ENABLED
        ? BatchNormSimd.squaredDeviations(x, off, s, m)
        : squaredDeviationsScalar(x, off, s, m);
  }

  /** {@code Σ g·x̂} in double ({@link BatchNormSimd} when enabled). */
  static double dotNormalized(float[] g, int gOff, float[] x, int xOff, int s, float m, float is) {
    return Simd.ENABLED
        ? BatchNormSimd.dotNormalized(g, gOff, x, xOff, s, m, is)
        : dotNormalizedScalar(g, gOff, x, xOff, s, m, is);
  }

  /** {@code Σ x[off + i]} for i < s, in double: the scalar twin. */
  static double sumScalar(float[] x, int off, int s) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = 0;
    for (; i + 4 <= s; i += 4) {
      a0 += x[off + i];
      a1 += x[off + i + 1];
      a2 += x[off + i + 2];
      a3 += x[off + i + 3];
    }
    for (; i < s; i++) {
      a0 += x[off + i];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** {@code Σ (x[off + i] − m)²} for i < s, in double: the scalar twin. */
  static double squaredDeviationsScalar(float[] x, int off, int s, double m) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = 0;
    for (; i + 4 <= s; i += 4) {
      double d0 = x[off + i] - m;
      double d1 = x[off + i + 1] - m;
      double d2 = x[off + i + 2] - m;
      double d3 = x[off + i + 3] - m;
      a0 += d0 * d0;
      a1 += d1 * d1;
      a2 += d2 * d2;
      a3 += d3 * d3;
    }
    for (; i < s; i++) {
      double d = x[off + i] - m;
      a0 += d * d;
    }
    return (a0 + a1) + (a2 + a3);
  }

  /**
   * {@code Σ g[gOff + i]·x̂[i]} with {@code x̂ = (x[xOff + i] − m)·is} in float, summed in double:
   * the scalar twin.
   */
  static double dotNormalizedScalar(
      float[] g, int gOff, float[] x, int xOff, int s, float m, float is) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = 0;
    for (; i + 4 <= s; i += 4) {
      a0 += (double) g[gOff + i] * ((x[xOff + i] - m) * is);
      a1 += (double) g[gOff + i + 1] * ((x[xOff + i + 1] - m) * is);
      a2 += (double) g[gOff + i + 2] * ((x[xOff + i + 2] - m) * is);
      a3 += (double) g[gOff + i + 3] * ((x[xOff + i + 3] - m) * is);
    }
    for (; i < s; i++) {
      a0 += (double) g[gOff + i] * ((x[xOff + i] - m) * is);
    }
    return (a0 + a1) + (a2 + a3);
  }
}
