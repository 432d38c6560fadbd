package dev.kronet.engine.kernel;

/**
 * Elementwise and reduction kernels over {@code float[]} ranges, for ops to call: each method
 * dispatches to its Vector API version when {@link Simd#ENABLED}, else to the scalar twin in {@code
 * VectorMathScalar}. Arguments follow the kernel convention: outputs first, then inputs, then the
 * element count; every array comes with the offset of its first element.
 *
 * <p>Kernels run on the calling thread. They are memory-bound, so an op that wants both cores
 * splits the range itself with {@link Parallel#forRange} and passes offsets. In-place use ({@code
 * out} the same range as an input) is allowed; partially overlapping ranges are not.
 *
 * <p>Elementwise results are bitwise equal between the SIMD and scalar versions (both use the same
 * IEEE operations, {@code axpy} a fused multiply-add in both). {@link #sum} and {@link #dot} add in
 * blocks in float and then in double, so they differ from the scalar twin (which accumulates in
 * double) only in the last bits.
 */
public final class VectorMath {
  private VectorMath() {}

  /** {@code y[i] += alpha · x[i]}, fused. */
  public static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.axpy(y, yOff, alpha, x, xOff, n);
    } else {
      VectorMathScalar.axpy(y, yOff, alpha, x, xOff, n);
    }
  }

  /** {@code out[i] = a[i] + b[i]}. */
  public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.add(out, outOff, a, aOff, b, bOff, n);
    } else {
      VectorMathScalar.add(out, outOff, a, aOff, b, bOff, n);
    }
  }

  /** {@code out[i] = a[i] - b[i]}. */
  public static void sub(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.sub(out, outOff, a, aOff, b, bOff, n);
    } else {
      VectorMathScalar.sub(out, outOff, a, aOff, b, bOff, n);
    }
  }

  /** {@code out[i] = a[i] · b[i]}. */
  public static void mul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.mul(out, outOff, a, aOff, b, bOff, n);
    } else {
      VectorMathScalar.mul(out, outOff, a, aOff, b, bOff, n);
    }
  }

  /** {@code out[i] = alpha · x[i]}. */
  public static void scale(float[] out, int outOff, float alpha, float[] x, int xOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.scale(out, outOff, alpha, x, xOff, n);
    } else {
      VectorMathScalar.scale(out, outOff, alpha, x, xOff, n);
    }
  }

  /** {@code Σ x[i]}, accumulated in double across blocks (see the class comment). */
  public static double sum(float[] x, int xOff, int n) {
    return Simd.ENABLED ? VectorMathSimd.sum(x, xOff, n) : VectorMathScalar.sum(x, xOff, n);
  }

  /** {@code Σ x[i] · y[i]}, accumulated in double across blocks (see the class comment). */
  public static double dot(float[] x, int xOff, float[] y, int yOff, int n) {
    return Simd.ENABLED
        ? VectorMathSimd.dot(x, xOff, y, yOff, n)
        : VectorMathScalar.dot(x, xOff, y, yOff, n);
  }

  /**
   * {@code out[i] = max(x[i], 0)} with {@link Math#max} semantics: NaN stays NaN (as in PyTorch),
   * −0 becomes +0.
   */
  public static void reluForward(float[] out, int outOff, float[] x, int xOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.reluForward(out, outOff, x, xOff, n);
    } else {
      VectorMathScalar.reluForward(out, outOff, x, xOff, n);
    }
  }

  /**
   * {@code gradIn[i] = x[i] <= 0 ? 0 : gradOut[i]}: the ReLU backward mask, where {@code x} is the
   * forward input (or output: both are positive at the same places). The derivative at 0 is taken
   * as 0, as in PyTorch.
   */
  public static void reluBackward(
      float[] gradIn, int gradInOff, float[] gradOut, int gradOutOff, float[] x, int xOff, int n) {
    if (Simd.ENABLED) {
      VectorMathSimd.reluBackward(gradIn, gradInOff, gradOut, gradOutOff, x, xOff, n);
    } else {
      VectorMathScalar.reluBackward(gradIn, gradInOff, gradOut, gradOutOff, x, xOff, n);
    }
  }
}
