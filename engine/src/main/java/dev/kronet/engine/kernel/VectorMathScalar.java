package dev.kronet.engine.kernel;

/** Scalar twins of {@link VectorMathSimd}: the fallback without SIMD and the tests' reference. */
final class VectorMathScalar {
  // Without an FMA instruction Math.fma is computed in software, far slower than a*b + c.
  private static final boolean NATIVE_FMA = Capabilities.current().nativeFma();

  private VectorMathScalar() {}

  static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] =
          NATIVE_FMA
              ? Math.fma(alpha, x[xOff + i], y[yOff + i])
              : alpha * x[xOff + i] + y[yOff + i];
    }
  }

  static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  static void sub(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] - b[bOff + i];
    }
  }

  static void mul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  static void scale(float[] out, int outOff, float alpha, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  static double sum(float[] x, int xOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  static double dot(float[] x, int xOff, float[] y, int yOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  static void reluForward(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  static void reluBackward(
      float[] gradIn, int gradInOff, float[] gradOut, int gradOutOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      gradIn[gradInOff + i] = x[xOff + i] <= 0f ? 0f : gradOut[gradOutOff + i];
    }
  }
}
