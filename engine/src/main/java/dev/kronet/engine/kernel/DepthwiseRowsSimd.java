package dev.kronet.engine.kernel;

import static dev.kronet.engine.kernel.KernelSpecies.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unit-stride row primitives of {@link DepthwiseConv} on the Vector API. Loaded only when {@link
 * Simd#ENABLED}; the scalar twins are {@code DepthwiseConv.axpy} and {@code DepthwiseConv.dot}.
 */
final class DepthwiseRowsSimd {

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  private DepthwiseRowsSimd() {}

  /** {@code y[yOff + i] += a·x[xOff + i]} for {@code i < n}. */
  static void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
    FloatVector va = FloatVector.broadcast(S, a);
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      (fma(vx, va, vy)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += a * x[xOff + i];
    }
  }

  /** {@code Σ x[xOff + i]·y[yOff + i]} for {@code i < n}, in float lanes summed in lane order. */
  static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (; i < S.loopBound(n); i += S.length()) {
      FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      acc = fma(vx, vy, acc);
    }
    // reduceLanes(ADD) leaves the summation order to the implementation, and the interpreter's
    // fallback and the JIT intrinsic differ in the last bit; a fixed lane order keeps repeated
    // runs bit-identical.
    float sum = 0f;
    for (int lane = 0; lane < S.length(); lane++) {
      sum += acc.lane(lane);
    }
    for (; i < n; i++) {
      sum += x[xOff + i] * y[yOff + i];
    }
    return sum;
  }
}
