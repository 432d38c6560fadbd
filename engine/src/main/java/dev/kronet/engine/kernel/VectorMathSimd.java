package dev.kronet.engine.kernel;

import static dev.kronet.engine.kernel.KernelSpecies.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the {@link VectorMath} kernels: a loop over whole vectors up to {@code
 * S.loopBound(n)}, then the scalar twin on the tail. Only loaded when {@link Simd#ENABLED}.
 */
final class VectorMathSimd {
  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  /**
   * Elements summed in float before the partial sum moves to double: each lane then adds only BLOCK
   * / L values in float (16 with 512-bit vectors), so the float rounding error stays near 16·u of
   * the block's magnitude while the loop keeps full vector speed.
   */
  static final int BLOCK = 256;

  private VectorMathSimd() {}

  static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
    FloatVector av = FloatVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      fma(xv, av, yv).intoArray(y, yOff + i);
    }
    VectorMathScalar.axpy(y, yOff + i, alpha, x, xOff + i, n - i);
  }

  static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector av = FloatVector.fromArray(S, a, aOff + i);
      av.add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    VectorMathScalar.add(out, outOff + i, a, aOff + i, b, bOff + i, n - i);
  }

  static void sub(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector av = FloatVector.fromArray(S, a, aOff + i);
      av.sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    VectorMathScalar.sub(out, outOff + i, a, aOff + i, b, bOff + i, n - i);
  }

  static void mul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector av = FloatVector.fromArray(S, a, aOff + i);
      av.mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    VectorMathScalar.mul(out, outOff + i, a, aOff + i, b, bOff + i, n - i);
  }

  static void scale(float[] out, int outOff, float alpha, float[] x, int xOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
    }
    VectorMathScalar.scale(out, outOff + i, alpha, x, xOff + i, n - i);
  }

  static double sum(float[] x, int xOff, int n) {
    double total = 0;
    int i = 0;
    int bound = S.loopBound(n);
    while (i < bound) {
      int blockEnd = Math.min(bound, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < blockEnd; i += L) {
        acc = acc.add(FloatVector.fromArray(S, x, xOff + i));
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total + VectorMathScalar.sum(x, xOff + i, n - i);
  }

  static double dot(float[] x, int xOff, float[] y, int yOff, int n) {
    double total = 0;
    int i = 0;
    int bound = S.loopBound(n);
    while (i < bound) {
      int blockEnd = Math.min(bound, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < blockEnd; i += L) {
        FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
        acc = fma(xv, FloatVector.fromArray(S, y, yOff + i), acc);
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total + VectorMathScalar.dot(x, xOff + i, y, yOff + i, n - i);
  }

  static void reluForward(float[] out, int outOff, float[] x, int xOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(out, outOff + i);
    }
    VectorMathScalar.reluForward(out, outOff + i, x, xOff + i, n - i);
  }

  static void reluBackward(
      float[] gradIn, int gradInOff, float[] gradOut, int gradOutOff, float[] x, int xOff, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    FloatVector zero = FloatVector.zero(S);
    for (; i < bound; i += L) {
      VectorMask<Float> stop =
          FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.LE, 0f);
      FloatVector.fromArray(S, gradOut, gradOutOff + i)
          .blend(zero, stop)
          .intoArray(gradIn, gradInOff + i);
    }
    VectorMathScalar.reluBackward(
        gradIn, gradInOff + i, gradOut, gradOutOff + i, x, xOff + i, n - i);
  }
}
