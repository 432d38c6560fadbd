package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FlatCorrelation}'s loops on the Vector API. Loaded only when {@link Simd#ENABLED}.
 *
 * <p>The forward loop keeps a 4-filter × 4-vector tile of outputs in 16 registers: each tap costs 4
 * unaligned loads and 4 broadcasts for 16 FMAs, and nothing but the outputs is written. With 16
 * vector registers that tile and its 4 input vectors do not fit, so there the 4 × 2 tile (8
 * accumulators) is the main loop. The weight loop keeps 4 filters × up to 3 taps (12 registers) and
 * streams the positions once.
 */
final class FlatCorrelationSimd {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  /** Whether the 4 × 4 forward tile fits the register file (21 registers). */
  private static final boolean WIDE_TILE = Capabilities.current().vectorRegisters() >= 32;

  private FlatCorrelationSimd() {}

  static void forward(
      float[] in,
      int inOff,
      int plane,
      int channels,
      int[] taps,
      float[] w,
      int wOff,
      float[] out,
      int outOff,
      int outStride,
      int positions) {
    int t = taps.length;
    int p = 0;
    for (; WIDE_TILE && p + 4 * L <= positions; p += 4 * L) {
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a02 = a00;
      FloatVector a03 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a12 = a00;
      FloatVector a13 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a22 = a00;
      FloatVector a23 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      FloatVector a32 = a00;
      FloatVector a33 = a00;
      int wi = wOff;
      for (int c = 0; c < channels; c++) {
        int base = inOff + c * plane + p;
        for (int k = 0; k < t; k++, wi += 4) {
          int o = base + taps[k];
          FloatVector x0 = FloatVector.fromArray(S, in, o);
          FloatVector x1 = FloatVector.fromArray(S, in, o + L);
          FloatVector x2 = FloatVector.fromArray(S, in, o + 2 * L);
          FloatVector x3 = FloatVector.fromArray(S, in, o + 3 * L);
          FloatVector w0 = FloatVector.broadcast(S, w[wi]);
          a00 = FMA ? x0.fma(w0, a00) : x0.mul(w0).add(a00);
          a01 = FMA ? x1.fma(w0, a01) : x1.mul(w0).add(a01);
          a02 = FMA ? x2.fma(w0, a02) : x2.mul(w0).add(a02);
          a03 = FMA ? x3.fma(w0, a03) : x3.mul(w0).add(a03);
          FloatVector w1 = FloatVector.broadcast(S, w[wi + 1]);
          a10 = FMA ? x0.fma(w1, a10) : x0.mul(w1).add(a10);
          a11 = FMA ? x1.fma(w1, a11) : x1.mul(w1).add(a11);
          a12 = FMA ? x2.fma(w1, a12) : x2.mul(w1).add(a12);
          a13 = FMA ? x3.fma(w1, a13) : x3.mul(w1).add(a13);
          FloatVector w2 = FloatVector.broadcast(S, w[wi + 2]);
          a20 = FMA ? x0.fma(w2, a20) : x0.mul(w2).add(a20);
          a21 = FMA ? x1.fma(w2, a21) : x1.mul(w2).add(a21);
          a22 = FMA ? x2.fma(w2, a22) : x2.mul(w2).add(a22);
          a23 = FMA ? x3.fma(w2, a23) : x3.mul(w2).add(a23);
          FloatVector w3 = FloatVector.broadcast(S, w[wi + 3]);
          a30 = FMA ? x0.fma(w3, a30) : x0.mul(w3).add(a30);
          a31 = FMA ? x1.fma(w3, a31) : x1.mul(w3).add(a31);
          a32 = FMA ? x2.fma(w3, a32) : x2.mul(w3).add(a32);
          a33 = FMA ? x3.fma(w3, a33) : x3.mul(w3).add(a33);
        }
      }
      int o0 = outOff + p;
      a00.intoArray(out, o0);
      a01.intoArray(out, o0 + L);
      a02.intoArray(out, o0 + 2 * L);
      a03.intoArray(out, o0 + 3 * L);
      int o1 = o0 + outStride;
      a10.intoArray(out, o1);
      a11.intoArray(out, o1 + L);
      a12.intoArray(out, o1 + 2 * L);
      a13.intoArray(out, o1 + 3 * L);
      int o2 = o1 + outStride;
      a20.intoArray(out, o2);
      a21.intoArray(out, o2 + L);
      a22.intoArray(out, o2 + 2 * L);
      a23.intoArray(out, o2 + 3 * L);
      int o3 = o2 + outStride;
      a30.intoArray(out, o3);
      a31.intoArray(out, o3 + L);
      a32.intoArray(out, o3 + 2 * L);
      a33.intoArray(out, o3 + 3 * L);
    }
    // two vectors at once (2 loads and 4 broadcasts per 8 FMAs), then the last one alone
    for (; p + 2 * L <= positions; p += 2 * L) {
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      int wi = wOff;
      for (int c = 0; c < channels; c++) {
        int base = inOff + c * plane + p;
        for (int k = 0; k < t; k++, wi += 4) {
          int o = base + taps[k];
          FloatVector x0 = FloatVector.fromArray(S, in, o);
          FloatVector x1 = FloatVector.fromArray(S, in, o + L);
          FloatVector w0 = FloatVector.broadcast(S, w[wi]);
          a00 = FMA ? x0.fma(w0, a00) : x0.mul(w0).add(a00);
          a01 = FMA ? x1.fma(w0, a01) : x1.mul(w0).add(a01);
          FloatVector w1 = FloatVector.broadcast(S, w[wi + 1]);
          a10 = FMA ? x0.fma(w1, a10) : x0.mul(w1).add(a10);
          a11 = FMA ? x1.fma(w1, a11) : x1.mul(w1).add(a11);
          FloatVector w2 = FloatVector.broadcast(S, w[wi + 2]);
          a20 = FMA ? x0.fma(w2, a20) : x0.mul(w2).add(a20);
          a21 = FMA ? x1.fma(w2, a21) : x1.mul(w2).add(a21);
          FloatVector w3 = FloatVector.broadcast(S, w[wi + 3]);
          a30 = FMA ? x0.fma(w3, a30) : x0.mul(w3).add(a30);
          a31 = FMA ? x1.fma(w3, a31) : x1.mul(w3).add(a31);
        }
      }
      int o0 = outOff + p;
      a00.intoArray(out, o0);
      a01.intoArray(out, o0 + L);
      a10.intoArray(out, o0 + outStride);
      a11.intoArray(out, o0 + outStride + L);
      a20.intoArray(out, o0 + 2 * outStride);
      a21.intoArray(out, o0 + 2 * outStride + L);
      a30.intoArray(out, o0 + 3 * outStride);
      a31.intoArray(out, o0 + 3 * outStride + L);
    }
    for (; p < positions; p += L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int wi = wOff;
      for (int c = 0; c < channels; c++) {
        int base = inOff + c * plane + p;
        for (int k = 0; k < t; k++, wi += 4) {
          FloatVector x0 = FloatVector.fromArray(S, in, base + taps[k]);
          a0 =
              FMA
                  ? x0.fma(FloatVector.broadcast(S, w[wi]), a0)
                  : x0.mul(FloatVector.broadcast(S, w[wi])).add(a0);
          a1 =
              FMA
                  ? x0.fma(FloatVector.broadcast(S, w[wi + 1]), a1)
                  : x0.mul(FloatVector.broadcast(S, w[wi + 1])).add(a1);
          a2 =
              FMA
                  ? x0.fma(FloatVector.broadcast(S, w[wi + 2]), a2)
                  : x0.mul(FloatVector.broadcast(S, w[wi + 2])).add(a2);
          a3 =
              FMA
                  ? x0.fma(FloatVector.broadcast(S, w[wi + 3]), a3)
                  : x0.mul(FloatVector.broadcast(S, w[wi + 3])).add(a3);
        }
      }
      int o0 = outOff + p;
      a0.intoArray(out, o0);
      a1.intoArray(out, o0 + outStride);
      a2.intoArray(out, o0 + 2 * outStride);
      a3.intoArray(out, o0 + 3 * outStride);
    }
  }

  static void weights(
      float[] dy,
      int dyOff,
      int dyStride,
      float[] x,
      int xOff,
      int[] taps,
      int t0,
      int t1,
      float[] lanes,
      int lanesOff,
      int positions) {
    int t = taps.length;
    int m = t1 - t0;
    // Missing taps (m < 3) read tap t0 again into accumulators that are never stored.
    int s0 = xOff + taps[t0];
    int s1 = xOff + taps[m > 1 ? t0 + 1 : t0];
    int s2 = xOff + taps[m > 2 ? t0 + 2 : t0];
    int r0 = dyOff;
    int r1 = r0 + dyStride;
    int r2 = r1 + dyStride;
    int r3 = r2 + dyStride;
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    for (int p = 0; p < positions; p += L) {
      FloatVector x0 = FloatVector.fromArray(S, x, s0 + p);
      FloatVector x1 = FloatVector.fromArray(S, x, s1 + p);
      FloatVector x2 = FloatVector.fromArray(S, x, s2 + p);
      FloatVector d0 = FloatVector.fromArray(S, dy, r0 + p);
      a00 = FMA ? d0.fma(x0, a00) : d0.mul(x0).add(a00);
      a01 = FMA ? d0.fma(x1, a01) : d0.mul(x1).add(a01);
      a02 = FMA ? d0.fma(x2, a02) : d0.mul(x2).add(a02);
      FloatVector d1 = FloatVector.fromArray(S, dy, r1 + p);
      a10 = FMA ? d1.fma(x0, a10) : d1.mul(x0).add(a10);
      a11 = FMA ? d1.fma(x1, a11) : d1.mul(x1).add(a11);
      a12 = FMA ? d1.fma(x2, a12) : d1.mul(x2).add(a12);
      FloatVector d2 = FloatVector.fromArray(S, dy, r2 + p);
      a20 = FMA ? d2.fma(x0, a20) : d2.mul(x0).add(a20);
      a21 = FMA ? d2.fma(x1, a21) : d2.mul(x1).add(a21);
      a22 = FMA ? d2.fma(x2, a22) : d2.mul(x2).add(a22);
      FloatVector d3 = FloatVector.fromArray(S, dy, r3 + p);
      a30 = FMA ? d3.fma(x0, a30) : d3.mul(x0).add(a30);
      a31 = FMA ? d3.fma(x1, a31) : d3.mul(x1).add(a31);
      a32 = FMA ? d3.fma(x2, a32) : d3.mul(x2).add(a32);
    }
    add(lanes, lanesOff, t, 0, t0, m, a00, a01, a02);
    add(lanes, lanesOff, t, 1, t0, m, a10, a11, a12);
    add(lanes, lanesOff, t, 2, t0, m, a20, a21, a22);
    add(lanes, lanesOff, t, 3, t0, m, a30, a31, a32);
  }

  private static void add(
      float[] lanes,
      int lanesOff,
      int t,
      int f,
      int t0,
      int m,
      FloatVector a0,
      FloatVector a1,
      FloatVector a2) {
    int o = lanesOff + (f * t + t0) * L;
    FloatVector.fromArray(S, lanes, o).add(a0).intoArray(lanes, o);
    if (m > 1) {
      FloatVector.fromArray(S, lanes, o + L).add(a1).intoArray(lanes, o + L);
    }
    if (m > 2) {
      FloatVector.fromArray(S, lanes, o + 2 * L).add(a2).intoArray(lanes, o + 2 * L);
    }
  }
}
