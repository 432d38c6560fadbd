package dev.kronet.engine.kernel;

/**
 * Element-wise activation functions and their derivatives, over flat buffers ({@code x} read from
 * {@code xOff}, everything else from 0). Derivatives at the kinks follow PyTorch's CPU kernels, so
 * that a gradient computed here equals the one PyTorch gives at the same point:
 *
 * <ul>
 *   <li>relu: 0 at x = 0 ({@code threshold_backward} stops the gradient where x ≤ 0, so it passes
 *       at NaN);
 *   <li>relu6: 0 at x = 0 and at x = 6 ({@code hardtanh_backward} stops it where x ≤ 0 or x ≥ 6, so
 *       it passes at NaN);
 *   <li>leaky relu: the slope at x = 0 (gradient passes unscaled only where x &gt; 0);
 *   <li>hardswish: 0 for x &lt; −3, {@code x/3 + 1/2} for −3 ≤ x ≤ 3 (so −1/2 at −3 and 3/2 at 3),
 *       1 for x &gt; 3.
 * </ul>
 *
 * A NaN input gives NaN out of relu and relu6, as PyTorch's do (a model with a NaN weight must not
 * look healthy because a relu turned its NaNs into zeros). Large buffers are split over {@link
 * Parallel}; every element is independent, so the split does not change the result. relu and relu6
 * run {@link ActivationSimd} when {@link Simd#ENABLED} (bit for bit the same values); the loops
 * here are their scalar twins.
 */
public final class ActivationKernel {
  private static final int MIN_CHUNK = 1 << 15;

  private ActivationKernel() {}

  public static void relu(float[] out, float[] x, int xOff, int n) {
    relu(out, x, xOff, n, Simd.ENABLED);
  }

  /** The same with the SIMD loop chosen by {@code simd} (false: the scalar twin). */
  public static void relu(float[] out, float[] x, int xOff, int n, boolean simd) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          if (simd) {
            ActivationSimd.relu(out, x, xOff, from, to);
            return;
          }
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            out[i] = v <= 0f ? 0f : v;
          }
        });
  }

  public static void reluBackward(float[] gradX, float[] g, float[] x, int xOff, int n) {
    reluBackward(gradX, g, x, xOff, n, Simd.ENABLED);
  }

  /** The same with the SIMD loop chosen by {@code simd} (false: the scalar twin). */
  public static void reluBackward(
      float[] gradX, float[] g, float[] x, int xOff, int n, boolean simd) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          if (simd) {
            ActivationSimd.reluBackward(gradX, g, x, xOff, from, to);
            return;
          }
          for (int i = from; i < to; i++) {
            gradX[i] = x[xOff + i] <= 0f ? 0f : g[i];
          }
        });
  }

  /**
   * relu's backward over one run {@code [from, from + len)} on the calling thread, for kernels that
   * fuse it into their own parallel loop: {@code gradX[i] = y[i] <= 0 ? 0 : g[i]}, where y may be
   * relu's input or its output (the two are positive, and NaN, at the same places).
   */
  static void reluBackwardRow(
      float[] gradX, float[] g, float[] y, int from, int len, boolean simd) {
    if (simd) {
      ActivationSimd.reluBackward(gradX, g, y, 0, from, from + len);
      return;
    }
    for (int i = from; i < from + len; i++) {
      gradX[i] = y[i] <= 0f ? 0f : g[i];
    }
  }

  public static void relu6(float[] out, float[] x, int xOff, int n) {
    relu6(out, x, xOff, n, Simd.ENABLED);
  }

  /** The same with the SIMD loop chosen by {@code simd} (false: the scalar twin). */
  public static void relu6(float[] out, float[] x, int xOff, int n, boolean simd) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          if (simd) {
            ActivationSimd.relu6(out, x, xOff, from, to);
            return;
          }
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            out[i] = v <= 0f ? 0f : (v >= 6f ? 6f : v);
          }
        });
  }

  public static void relu6Backward(float[] gradX, float[] g, float[] x, int xOff, int n) {
    relu6Backward(gradX, g, x, xOff, n, Simd.ENABLED);
  }

  /** The same with the SIMD loop chosen by {@code simd} (false: the scalar twin). */
  public static void relu6Backward(
      float[] gradX, float[] g, float[] x, int xOff, int n, boolean simd) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          if (simd) {
            ActivationSimd.relu6Backward(gradX, g, x, xOff, from, to);
            return;
          }
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            gradX[i] = v <= 0f || v >= 6f ? 0f : g[i];
          }
        });
  }

  public static void leakyRelu(float[] out, float[] x, int xOff, int n, float slope) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            out[i] = v > 0f ? v : v * slope;
          }
        });
  }

  public static void leakyReluBackward(
      float[] gradX, float[] g, float[] x, int xOff, int n, float slope) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            gradX[i] = x[xOff + i] > 0f ? g[i] : g[i] * slope;
          }
        });
  }

  /**
   * σ(x) = 1/(1 + e^−x), evaluated as e^x/(1 + e^x) for negative x so that e^−x never overflows.
   */
  public static void sigmoid(float[] out, float[] x, int xOff, int n) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            if (v >= 0f) {
              out[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
            } else {
              double e = Math.exp(v);
              out[i] = (float) (e / (1.0 + e));
            }
          }
        });
  }

  /** σ'(x) = σ(x)(1 − σ(x)), from the saved output y = σ(x). */
  public static void sigmoidBackward(float[] gradX, float[] g, float[] y, int n) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            gradX[i] = g[i] * y[i] * (1f - y[i]);
          }
        });
  }

  /** hardswish(x) = x·relu6(x + 3)/6. */
  public static void hardswish(float[] out, float[] x, int xOff, int n) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            float r = Math.min(Math.max(v + 3f, 0f), 6f);
            out[i] = v * r / 6f;
          }
        });
  }

  public static void hardswishBackward(float[] gradX, float[] g, float[] x, int xOff, int n) {
    Parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            if (v < -3f) {
              gradX[i] = 0f;
            } else if (v <= 3f) {
              gradX[i] = g[i] * (v / 3f + 0.5f);
            } else {
              gradX[i] = g[i];
            }
          }
        });
  }
}
