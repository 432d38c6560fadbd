package dev.kronet.engine.kernel;

/**
 * Scalar loops for unary elementwise maps {@code out[i] = f(x[xOff + i])} over dense buffers, and
 * the few derivative loops that are not themselves a binary map (pow, abs, clamp). One loop per
 * function, switch outside, so the JIT sees monomorphic bodies; large buffers fan out over {@link
 * Parallel}. A SIMD twin can take over {@link #map} behind {@link Simd#ENABLED}.
 */
public final class UnaryLoops {
  /** The parameterless functions. */
  public enum Op {
    NEG,
    EXP,
    LOG,
    SQRT,
    ABS,
    SQUARE
  }

  private static final int PARALLEL_GRAIN = 1 << 15;

  private UnaryLoops() {}

  /** {@code out[i] = op(x[xOff + i])} for {@code i < n}. */
  public static void map(Op op, float[] x, int xOff, float[] out, int n) {
    Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> mapRange(op, x, xOff, out, from, to));
  }

  private static void mapRange(Op op, float[] x, int xOff, float[] out, int from, int to) {
    switch (op) {
      case NEG -> {
        for (int i = from; i < to; i++) {
          out[i] = -x[xOff + i];
        }
      }
      case EXP -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) Math.exp(x[xOff + i]);
        }
      }
      case LOG -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) Math.log(x[xOff + i]);
        }
      }
      case SQRT -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) Math.sqrt(x[xOff + i]);
        }
      }
      case ABS -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.abs(x[xOff + i]);
        }
      }
      case SQUARE -> {
        for (int i = from; i < to; i++) {
          float v = x[xOff + i];
          out[i] = v * v;
        }
      }
    }
  }

  /**
   * {@code out[i] = x[xOff + i]^p}, computed in double (NaN for a negative base and fractional p).
   */
  public static void pow(float[] x, int xOff, float p, float[] out, int n) {
    Parallel.forRange(
        n,
        PARALLEL_GRAIN,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            out[i] = (float) Math.pow(x[xOff + i], p);
          }
        });
  }

  /** {@code out[i] = min(max(x[xOff + i], lo), hi)}; NaN stays NaN, as in PyTorch. */
  public static void clamp(float[] x, int xOff, float lo, float hi, float[] out, int n) {
    Parallel.forRange(
        n,
        PARALLEL_GRAIN,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float v = x[xOff + i];
            out[i] = v < lo ? lo : (v > hi ? hi : v);
          }
        });
  }

  /**
   * d/dx of x^p times g: {@code out[i] = g[i]·p·x^(p-1)}, with 0 where p = 0 (x^0 is constant even
   * at x = 0, where p·x^(p-1) would be 0·∞).
   */
  public static void powBackward(float[] g, float[] x, int xOff, float p, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = p == 0f ? 0f : (float) (g[i] * p * Math.pow(x[xOff + i], p - 1.0));
    }
  }

  /** d|x|/dx times g, with sign(0) = 0 as in PyTorch. */
  public static void absBackward(float[] g, float[] x, int xOff, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = g[i] * Math.signum(x[xOff + i]);
    }
  }

  /** g where {@code lo ≤ x ≤ hi} (bounds included, as in PyTorch), else 0. */
  public static void clampBackward(
      float[] g, float[] x, int xOff, float lo, float hi, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      out[i] = v >= lo && v <= hi ? g[i] : 0f;
    }
  }
}
