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
 *
 * <p>A relu after batch norm, and a residual added before that relu, are fused into these loops
 * (see {@code Normalization.batchNormRelu} and {@code batchNormAddRelu}): each is one pass less
 * over the activation and one tensor fewer.
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
   * {@code out = (x - mean)·invStd·weight + bias} per channel, folded into one multiply and one add
   * {@code x·scale + shift} (two roundings, no fused multiply-add: the backward pass recomputes
   * these values bit for bit), then {@code max(·, 0)} when {@code relu} (the {@link
   * ActivationKernel} relu: {@code v <= 0 ? 0 : v}, NaN passing through). With a {@code residual}
   * (same layout, at {@code rOff}; null for none) it is added before the relu: {@code relu(x·scale
   * + shift + r)}, the end of a residual block. {@code weight} and {@code bias} may be null (1 and
   * 0).
   */
  public static void normalize(
      float[] out,
      float[] x,
      int xOff,
      float[] residual,
      int rOff,
      int n,
      int c,
      int s,
      float[] mean,
      float[] invStd,
      float[] weight,
      float[] bias,
      boolean relu) {
    boolean simd = Simd.ENABLED;
    Parallel.forRange(
        c,
        minChannels(n, s),
        (from, to) -> {
          for (int ch = from; ch < to; ch++) {
            float scale = scale(ch, invStd, weight);
            float shift = shift(ch, mean, scale, bias);
            for (int b = 0; b < n; b++) {
              int base = (b * c + ch) * s;
              if (simd) {
                BatchNormSimd.normalizeRow(
                    out, base, x, xOff + base, residual, rOff + base, s, scale, shift, relu);
              } else {
                normalizeRowScalar(
                    out, base, x, xOff + base, residual, rOff + base, s, scale, shift, relu);
              }
            }
          }
        });
  }

  /** The multiplier of x in channel ch's output: {@code invStd·weight}. */
  private static float scale(int ch, float[] invStd, float[] weight) {
    return invStd[ch] * (weight == null ? 1f : weight[ch]);
  }

  /** The constant of channel ch's output: {@code bias − mean·scale}. */
  private static float shift(int ch, float[] mean, float scale, float[] bias) {
    return (bias == null ? 0f : bias[ch]) - mean[ch] * scale;
  }

  /** One row of {@link #normalize}: the scalar twin of {@link BatchNormSimd#normalizeRow}. */
  static void normalizeRowScalar(
      float[] out,
      int oOff,
      float[] x,
      int xOff,
      float[] residual,
      int rOff,
      int s,
      float scale,
      float shift,
      boolean relu) {
    for (int i = 0; i < s; i++) {
      float v = x[xOff + i] * scale + shift;
      if (residual != null) {
        v += residual[rOff + i];
      }
      out[oOff + i] = relu && v <= 0f ? 0f : v;
    }
  }

  /**
   * Backward of batch norm, or of {@code relu(batchNorm(x))} when {@code relu}: then the incoming
   * gradient passes only where the normalised value {@code x·scale + shift} (recomputed from x
   * exactly as {@link #normalize} computed it) is &gt; 0, as relu's backward would pass it, and
   * what follows is batch norm's backward of that masked gradient g'. Writes {@code gradWeight[c] =
   * Σ g'·x̂} and {@code gradBias[c] = Σ g'} (either may be null to skip), and, when {@code gradX}
   * is non-null, the input gradient.
   *
   * <p>With {@code batchStats} (training mode, mean and variance are functions of x) the input
   * gradient is the fused formula {@code dx = w·invStd/M · (M·g' − Σg' − x̂·Σ(g'·x̂))}, M = N·S;
   * without (eval mode, running statistics are constants) it is {@code dx = g'·w·invStd}. Both sums
   * come from one pass over g and x, the input gradient from a second.
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
      float[] bias,
      boolean batchStats,
      boolean relu,
      float[] out,
      float[] gradResidual) {
    boolean simd = Simd.ENABLED;
    boolean masked = relu && gradResidual == null;
    float[] passed = gradResidual == null ? g : gradResidual;
    Parallel.forRange(
        c,
        minChannels(n, s),
        (from, to) -> {
          double count = (double) n * s;
          double[] sums = new double[2];
          for (int ch = from; ch < to; ch++) {
            float scale = scale(ch, invStd, weight);
            Row row = new Row(mean[ch], invStd[ch], scale, shift(ch, mean, scale, bias), masked);
            sums[0] = 0;
            sums[1] = 0;
            for (int b = 0; b < n; b++) {
              int base = (b * c + ch) * s;
              if (gradResidual != null) {
                ActivationKernel.reluBackwardRow(gradResidual, g, out, base, s, simd);
              }
              if (simd) {
                BatchNormSimd.gradientSums(sums, passed, base, x, xOff + base, s, row);
              } else {
                gradientSumsScalar(sums, passed, base, x, xOff + base, s, row);
              }
            }
            if (gradWeight != null) {
              gradWeight[ch] = (float) sums[1];
            }
            if (gradBias != null) {
              gradBias[ch] = (float) sums[0];
            }
            if (gradX == null) {
              continue;
            }
            float k = weight == null ? row.invStd : weight[ch] * row.invStd;
            float meanG = batchStats ? (float) (sums[0] / count) : 0f;
            float meanGXhat = batchStats ? (float) (sums[1] / count) : 0f;
            for (int b = 0; b < n; b++) {
              int base = (b * c + ch) * s;
              if (simd) {
                BatchNormSimd.inputGradientRow(
                    gradX, passed, base, x, xOff + base, s, row, k, meanG, meanGXhat, batchStats);
              } else {
                inputGradientRowScalar(
                    gradX, passed, base, x, xOff + base, s, row, k, meanG, meanGXhat, batchStats);
              }
            }
          }
        });
  }

  /**
   * One channel's normalisation as the backward pass needs it: the statistics, the folded {@code
   * x·scale + shift} of the forward pass, and whether a relu followed.
   */
  record Row(float mean, float invStd, float scale, float shift, boolean relu) {
    /** The incoming gradient as it reaches batch norm: masked by the relu when there is one. */
    float passed(float g, float x) {
      if (!relu) {
        return g;
      }
      float v = x * scale + shift;
      return v <= 0f ? 0f : g;
    }
  }

  /**
   * Adds {@code Σ g'} to {@code sums[0]} and {@code Σ g'·x̂} to {@code sums[1]} over one row, in
   * double, with {@code x̂ = (x − mean)·invStd} in float: the scalar twin of {@link
   * BatchNormSimd#gradientSums}. Two interleaved accumulators each (one is a chain of dependent
   * double additions).
   */
  static void gradientSumsScalar(
      double[] sums, float[] g, int gOff, float[] x, int xOff, int s, Row row) {
    double g0 = 0;
    double g1 = 0;
    double d0 = 0;
    double d1 = 0;
    float m = row.mean();
    float is = row.invStd();
    int i = 0;
    for (; i + 2 <= s; i += 2) {
      float x0 = x[xOff + i];
      float x1 = x[xOff + i + 1];
      float p0 = row.passed(g[gOff + i], x0);
      float p1 = row.passed(g[gOff + i + 1], x1);
      g0 += p0;
      g1 += p1;
      d0 += (double) p0 * ((x0 - m) * is);
      d1 += (double) p1 * ((x1 - m) * is);
    }
    for (; i < s; i++) {
      float xi = x[xOff + i];
      float p = row.passed(g[gOff + i], xi);
      g0 += p;
      d0 += (double) p * ((xi - m) * is);
    }
    sums[0] += g0 + g1;
    sums[1] += d0 + d1;
  }

  /**
   * One row of the input gradient: {@code k·(g' − meanG − x̂·meanGXhat)} with batch statistics,
   * {@code k·g'} without; the scalar twin of {@link BatchNormSimd#inputGradientRow}.
   */
  static void inputGradientRowScalar(
      float[] gradX,
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      int s,
      Row row,
      float k,
      float meanG,
      float meanGXhat,
      boolean batchStats) {
    float m = row.mean();
    float is = row.invStd();
    for (int i = 0; i < s; i++) {
      float xi = x[xOff + i];
      float p = row.passed(g[gOff + i], xi);
      if (batchStats) {
        float xhat = (xi - m) * is;
        gradX[gOff + i] = k * (p - meanG - xhat * meanGXhat);
      } else {
        gradX[gOff + i] = k * p;
      }
    }
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
}
