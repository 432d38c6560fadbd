package dev.kronet.engine.kernel;

import static dev.kronet.engine.kernel.KernelSpecies.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowMix}'s loops on the Vector API: four output rows at a time, each a vector of positions
 * accumulated over the K input rows; a masked vector covers the tail of a row (of the dot products,
 * a scalar loop). Loaded only when {@link Simd#ENABLED}.
 */
final class RowMixSimd {

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  private RowMixSimd() {}

  static void apply(
      float[] w,
      int m,
      int k,
      float[] in,
      int inOff,
      int inStride,
      float[] out,
      int outOff,
      int outStride,
      int p) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int w0 = i * k;
      int o0 = outOff + i * outStride;
      int q = 0;
      for (; q + L <= p; q += L) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int j = 0; j < k; j++) {
          FloatVector x = FloatVector.fromArray(S, in, inOff + j * inStride + q);
          a0 = fma(x, FloatVector.broadcast(S, w[w0 + j]), a0);
          a1 = fma(x, FloatVector.broadcast(S, w[w0 + k + j]), a1);
          a2 = fma(x, FloatVector.broadcast(S, w[w0 + 2 * k + j]), a2);
          a3 = fma(x, FloatVector.broadcast(S, w[w0 + 3 * k + j]), a3);
        }
        a0.intoArray(out, o0 + q);
        a1.intoArray(out, o0 + outStride + q);
        a2.intoArray(out, o0 + 2 * outStride + q);
        a3.intoArray(out, o0 + 3 * outStride + q);
      }
      if (q < p) {
        VectorMask<Float> tail = S.indexInRange(q, p);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int j = 0; j < k; j++) {
          FloatVector x = FloatVector.fromArray(S, in, inOff + j * inStride + q, tail);
          a0 = fma(x, FloatVector.broadcast(S, w[w0 + j]), a0);
          a1 = fma(x, FloatVector.broadcast(S, w[w0 + k + j]), a1);
          a2 = fma(x, FloatVector.broadcast(S, w[w0 + 2 * k + j]), a2);
          a3 = fma(x, FloatVector.broadcast(S, w[w0 + 3 * k + j]), a3);
        }
        a0.intoArray(out, o0 + q, tail);
        a1.intoArray(out, o0 + outStride + q, tail);
        a2.intoArray(out, o0 + 2 * outStride + q, tail);
        a3.intoArray(out, o0 + 3 * outStride + q, tail);
      }
    }
    for (; i < m; i++) {
      int w0 = i * k;
      int o0 = outOff + i * outStride;
      for (int q = 0; q < p; q += L) {
        VectorMask<Float> live = S.indexInRange(q, p);
        FloatVector a0 = FloatVector.zero(S);
        for (int j = 0; j < k; j++) {
          FloatVector x = FloatVector.fromArray(S, in, inOff + j * inStride + q, live);
          a0 = fma(x, FloatVector.broadcast(S, w[w0 + j]), a0);
        }
        a0.intoArray(out, o0 + q, live);
      }
    }
  }

  static void dots(
      float[] a,
      int aOff,
      int aStride,
      int m,
      float[] b,
      int bOff,
      int bStride,
      int k,
      int p,
      float[] lanes) {
    // 2 rows of a × 4 rows of b per pass: 8 accumulators, 6 loads per 8 FMAs
    for (int i = 0; i < m; i += 2) {
      int i1 = Math.min(i + 1, m - 1);
      for (int j = 0; j < k; j += 4) {
        int j1 = Math.min(j + 1, k - 1);
        int j2 = Math.min(j + 2, k - 1);
        int j3 = Math.min(j + 3, k - 1);
        int ra0 = aOff + i * aStride;
        int ra1 = aOff + i1 * aStride;
        int rb0 = bOff + j * bStride;
        int rb1 = bOff + j1 * bStride;
        int rb2 = bOff + j2 * bStride;
        int rb3 = bOff + j3 * bStride;
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        int end = S.loopBound(p);
        for (int q = 0; q < end; q += L) {
          FloatVector x0 = FloatVector.fromArray(S, a, ra0 + q);
          FloatVector x1 = FloatVector.fromArray(S, a, ra1 + q);
          FloatVector y0 = FloatVector.fromArray(S, b, rb0 + q);
          s00 = fma(x0, y0, s00);
          s10 = fma(x1, y0, s10);
          FloatVector y1 = FloatVector.fromArray(S, b, rb1 + q);
          s01 = fma(x0, y1, s01);
          s11 = fma(x1, y1, s11);
          FloatVector y2 = FloatVector.fromArray(S, b, rb2 + q);
          s02 = fma(x0, y2, s02);
          s12 = fma(x1, y2, s12);
          FloatVector y3 = FloatVector.fromArray(S, b, rb3 + q);
          s03 = fma(x0, y3, s03);
          s13 = fma(x1, y3, s13);
        }
        // rows past m or k were clamped duplicates: only the real ones are added
        add(lanes, (i * k + j) * L, s00);
        if (j + 1 < k) {
          add(lanes, (i * k + j + 1) * L, s01);
        }
        if (j + 2 < k) {
          add(lanes, (i * k + j + 2) * L, s02);
        }
        if (j + 3 < k) {
          add(lanes, (i * k + j + 3) * L, s03);
        }
        if (i + 1 < m) {
          add(lanes, ((i + 1) * k + j) * L, s10);
          if (j + 1 < k) {
            add(lanes, ((i + 1) * k + j + 1) * L, s11);
          }
          if (j + 2 < k) {
            add(lanes, ((i + 1) * k + j + 2) * L, s12);
          }
          if (j + 3 < k) {
            add(lanes, ((i + 1) * k + j + 3) * L, s13);
          }
        }
        // the tail positions, into lane 0 of each real (row of a, row of b) pair
        for (int ii = i; ii <= i1 && ii < i + 2; ii++) {
          for (int jj = j; jj < Math.min(k, j + 4); jj++) {
            float sum = 0f;
            for (int q = end; q < p; q++) {
              sum += a[aOff + ii * aStride + q] * b[bOff + jj * bStride + q];
            }
            lanes[(ii * k + jj) * L] += sum;
          }
        }
      }
    }
  }

  private static void add(float[] lanes, int o, FloatVector v) {
    FloatVector.fromArray(S, lanes, o).add(v).intoArray(lanes, o);
  }
}
