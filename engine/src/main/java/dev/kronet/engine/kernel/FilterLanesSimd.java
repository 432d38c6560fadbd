package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FilterLanesConv}'s register tiles: a block of output pixels × a block of filters, the
 * filters in the lanes of 16-float vectors. For each (channel, tap) of the kernel the tile loads
 * its filters' weights as whole aligned vectors and broadcasts one input value per pixel, read at
 * that pixel's own address: pixels need not be adjacent, so no column is computed and thrown away
 * and a stride costs nothing. Loaded only when {@link Simd#ENABLED}; written for 16 lanes ({@link
 * #AVAILABLE}).
 *
 * <p>Accumulators are named one by one because C2 keeps named vectors in registers but not an array
 * of them; 24 of the 32 AVX-512 registers, as {@link SgemmMicroKernels}' 12 × 2 tile.
 */
final class FilterLanesSimd {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  /** True when the preferred species has 16 float lanes, the width these tiles are written for. */
  static final boolean AVAILABLE = S.length() == 16;

  private FilterLanesSimd() {}

  /** Lanes per block for a multiple of 32 filters (or channels): 64 where they divide, else 32. */
  static int blockWidth(int n) {
    return n % 64 == 0 ? 64 : 32;
  }

  /**
   * Rows of one tile for {@code fv} (64 or 32) filters per block: the pixels of a forward tile, the
   * (channel, tap) rows of a weight-gradient tile.
   */
  static int tileRows(int fv) {
    return fv == 64 ? 6 : 12;
  }

  /** {@link #tile6x4} for blocks of 64 filters, {@link #tile12x2} for blocks of 32. */
  static void tile(
      int fv,
      float[] xp,
      int[] base,
      int q0,
      int[] offsets,
      float[] wp,
      int wo,
      float[] yp,
      int yo) {
    if (fv == 64) {
      tile6x4(xp, base, q0, offsets, wp, wo, yp, yo);
    } else {
      tile12x2(xp, base, q0, offsets, wp, wo, yp, yo);
    }
  }

  /** {@link #weightTile6x4} for blocks of 64 filters, {@link #weightTile12x2} for blocks of 32. */
  static void weightTile(
      int fv,
      float[] xp,
      int xStride,
      int[] base,
      int[] offsets,
      int k0,
      float[] dy,
      int dyOff,
      int rowStride,
      int dyStride,
      int images,
      int positions,
      float[] acc,
      int ao) {
    if (fv == 64) {
      weightTile6x4(
          xp, xStride, base, offsets, k0, dy, dyOff, rowStride, dyStride, images, positions, acc,
          ao);
    } else {
      weightTile12x2(
          xp, xStride, base, offsets, k0, dy, dyOff, rowStride, dyStride, images, positions, acc,
          ao);
    }
  }

  /**
   * 6 pixels × 4 vectors (64 filters): 24 accumulators; per (channel, tap) 4 weight loads and 6
   * broadcasts for 24 FMAs. Writes the tile as 6 rows of 64 floats at {@code yp[yo]}.
   */
  static void tile6x4(
      float[] xp, int[] base, int q0, int[] offsets, float[] wp, int wo, float[] yp, int yo) {
    int b0 = base[q0 + 0];
    int b1 = base[q0 + 1];
    int b2 = base[q0 + 2];
    int b3 = base[q0 + 3];
    int b4 = base[q0 + 4];
    int b5 = base[q0 + 5];
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c0_1 = z;
    FloatVector c0_2 = z;
    FloatVector c0_3 = z;
    FloatVector c1_0 = z;
    FloatVector c1_1 = z;
    FloatVector c1_2 = z;
    FloatVector c1_3 = z;
    FloatVector c2_0 = z;
    FloatVector c2_1 = z;
    FloatVector c2_2 = z;
    FloatVector c2_3 = z;
    FloatVector c3_0 = z;
    FloatVector c3_1 = z;
    FloatVector c3_2 = z;
    FloatVector c3_3 = z;
    FloatVector c4_0 = z;
    FloatVector c4_1 = z;
    FloatVector c4_2 = z;
    FloatVector c4_3 = z;
    FloatVector c5_0 = z;
    FloatVector c5_1 = z;
    FloatVector c5_2 = z;
    FloatVector c5_3 = z;
    int wi = wo;
    for (int k = 0; k < offsets.length; k++, wi += 64) {
      int o = offsets[k];
      FloatVector w0 = FloatVector.fromArray(S, wp, wi);
      FloatVector w1 = FloatVector.fromArray(S, wp, wi + 16);
      FloatVector w2 = FloatVector.fromArray(S, wp, wi + 32);
      FloatVector w3 = FloatVector.fromArray(S, wp, wi + 48);
      FloatVector a;
      a = FloatVector.broadcast(S, xp[b0 + o]);
      c0_0 = FMA ? a.fma(w0, c0_0) : a.mul(w0).add(c0_0);
      c0_1 = FMA ? a.fma(w1, c0_1) : a.mul(w1).add(c0_1);
      c0_2 = FMA ? a.fma(w2, c0_2) : a.mul(w2).add(c0_2);
      c0_3 = FMA ? a.fma(w3, c0_3) : a.mul(w3).add(c0_3);
      a = FloatVector.broadcast(S, xp[b1 + o]);
      c1_0 = FMA ? a.fma(w0, c1_0) : a.mul(w0).add(c1_0);
      c1_1 = FMA ? a.fma(w1, c1_1) : a.mul(w1).add(c1_1);
      c1_2 = FMA ? a.fma(w2, c1_2) : a.mul(w2).add(c1_2);
      c1_3 = FMA ? a.fma(w3, c1_3) : a.mul(w3).add(c1_3);
      a = FloatVector.broadcast(S, xp[b2 + o]);
      c2_0 = FMA ? a.fma(w0, c2_0) : a.mul(w0).add(c2_0);
      c2_1 = FMA ? a.fma(w1, c2_1) : a.mul(w1).add(c2_1);
      c2_2 = FMA ? a.fma(w2, c2_2) : a.mul(w2).add(c2_2);
      c2_3 = FMA ? a.fma(w3, c2_3) : a.mul(w3).add(c2_3);
      a = FloatVector.broadcast(S, xp[b3 + o]);
      c3_0 = FMA ? a.fma(w0, c3_0) : a.mul(w0).add(c3_0);
      c3_1 = FMA ? a.fma(w1, c3_1) : a.mul(w1).add(c3_1);
      c3_2 = FMA ? a.fma(w2, c3_2) : a.mul(w2).add(c3_2);
      c3_3 = FMA ? a.fma(w3, c3_3) : a.mul(w3).add(c3_3);
      a = FloatVector.broadcast(S, xp[b4 + o]);
      c4_0 = FMA ? a.fma(w0, c4_0) : a.mul(w0).add(c4_0);
      c4_1 = FMA ? a.fma(w1, c4_1) : a.mul(w1).add(c4_1);
      c4_2 = FMA ? a.fma(w2, c4_2) : a.mul(w2).add(c4_2);
      c4_3 = FMA ? a.fma(w3, c4_3) : a.mul(w3).add(c4_3);
      a = FloatVector.broadcast(S, xp[b5 + o]);
      c5_0 = FMA ? a.fma(w0, c5_0) : a.mul(w0).add(c5_0);
      c5_1 = FMA ? a.fma(w1, c5_1) : a.mul(w1).add(c5_1);
      c5_2 = FMA ? a.fma(w2, c5_2) : a.mul(w2).add(c5_2);
      c5_3 = FMA ? a.fma(w3, c5_3) : a.mul(w3).add(c5_3);
    }
    c0_0.intoArray(yp, yo + 0);
    c0_1.intoArray(yp, yo + 16);
    c0_2.intoArray(yp, yo + 32);
    c0_3.intoArray(yp, yo + 48);
    c1_0.intoArray(yp, yo + 64);
    c1_1.intoArray(yp, yo + 80);
    c1_2.intoArray(yp, yo + 96);
    c1_3.intoArray(yp, yo + 112);
    c2_0.intoArray(yp, yo + 128);
    c2_1.intoArray(yp, yo + 144);
    c2_2.intoArray(yp, yo + 160);
    c2_3.intoArray(yp, yo + 176);
    c3_0.intoArray(yp, yo + 192);
    c3_1.intoArray(yp, yo + 208);
    c3_2.intoArray(yp, yo + 224);
    c3_3.intoArray(yp, yo + 240);
    c4_0.intoArray(yp, yo + 256);
    c4_1.intoArray(yp, yo + 272);
    c4_2.intoArray(yp, yo + 288);
    c4_3.intoArray(yp, yo + 304);
    c5_0.intoArray(yp, yo + 320);
    c5_1.intoArray(yp, yo + 336);
    c5_2.intoArray(yp, yo + 352);
    c5_3.intoArray(yp, yo + 368);
  }

  /**
   * 12 pixels × 2 vectors (32 filters): 24 accumulators; per (channel, tap) 2 weight loads and 12
   * broadcasts for 24 FMAs. Writes the tile as 12 rows of 32 floats at {@code yp[yo]}.
   */
  static void tile12x2(
      float[] xp, int[] base, int q0, int[] offsets, float[] wp, int wo, float[] yp, int yo) {
    int b0 = base[q0 + 0];
    int b1 = base[q0 + 1];
    int b2 = base[q0 + 2];
    int b3 = base[q0 + 3];
    int b4 = base[q0 + 4];
    int b5 = base[q0 + 5];
    int b6 = base[q0 + 6];
    int b7 = base[q0 + 7];
    int b8 = base[q0 + 8];
    int b9 = base[q0 + 9];
    int b10 = base[q0 + 10];
    int b11 = base[q0 + 11];
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c0_1 = z;
    FloatVector c1_0 = z;
    FloatVector c1_1 = z;
    FloatVector c2_0 = z;
    FloatVector c2_1 = z;
    FloatVector c3_0 = z;
    FloatVector c3_1 = z;
    FloatVector c4_0 = z;
    FloatVector c4_1 = z;
    FloatVector c5_0 = z;
    FloatVector c5_1 = z;
    FloatVector c6_0 = z;
    FloatVector c6_1 = z;
    FloatVector c7_0 = z;
    FloatVector c7_1 = z;
    FloatVector c8_0 = z;
    FloatVector c8_1 = z;
    FloatVector c9_0 = z;
    FloatVector c9_1 = z;
    FloatVector c10_0 = z;
    FloatVector c10_1 = z;
    FloatVector c11_0 = z;
    FloatVector c11_1 = z;
    int wi = wo;
    for (int k = 0; k < offsets.length; k++, wi += 32) {
      int o = offsets[k];
      FloatVector w0 = FloatVector.fromArray(S, wp, wi);
      FloatVector w1 = FloatVector.fromArray(S, wp, wi + 16);
      FloatVector a;
      a = FloatVector.broadcast(S, xp[b0 + o]);
      c0_0 = FMA ? a.fma(w0, c0_0) : a.mul(w0).add(c0_0);
      c0_1 = FMA ? a.fma(w1, c0_1) : a.mul(w1).add(c0_1);
      a = FloatVector.broadcast(S, xp[b1 + o]);
      c1_0 = FMA ? a.fma(w0, c1_0) : a.mul(w0).add(c1_0);
      c1_1 = FMA ? a.fma(w1, c1_1) : a.mul(w1).add(c1_1);
      a = FloatVector.broadcast(S, xp[b2 + o]);
      c2_0 = FMA ? a.fma(w0, c2_0) : a.mul(w0).add(c2_0);
      c2_1 = FMA ? a.fma(w1, c2_1) : a.mul(w1).add(c2_1);
      a = FloatVector.broadcast(S, xp[b3 + o]);
      c3_0 = FMA ? a.fma(w0, c3_0) : a.mul(w0).add(c3_0);
      c3_1 = FMA ? a.fma(w1, c3_1) : a.mul(w1).add(c3_1);
      a = FloatVector.broadcast(S, xp[b4 + o]);
      c4_0 = FMA ? a.fma(w0, c4_0) : a.mul(w0).add(c4_0);
      c4_1 = FMA ? a.fma(w1, c4_1) : a.mul(w1).add(c4_1);
      a = FloatVector.broadcast(S, xp[b5 + o]);
      c5_0 = FMA ? a.fma(w0, c5_0) : a.mul(w0).add(c5_0);
      c5_1 = FMA ? a.fma(w1, c5_1) : a.mul(w1).add(c5_1);
      a = FloatVector.broadcast(S, xp[b6 + o]);
      c6_0 = FMA ? a.fma(w0, c6_0) : a.mul(w0).add(c6_0);
      c6_1 = FMA ? a.fma(w1, c6_1) : a.mul(w1).add(c6_1);
      a = FloatVector.broadcast(S, xp[b7 + o]);
      c7_0 = FMA ? a.fma(w0, c7_0) : a.mul(w0).add(c7_0);
      c7_1 = FMA ? a.fma(w1, c7_1) : a.mul(w1).add(c7_1);
      a = FloatVector.broadcast(S, xp[b8 + o]);
      c8_0 = FMA ? a.fma(w0, c8_0) : a.mul(w0).add(c8_0);
      c8_1 = FMA ? a.fma(w1, c8_1) : a.mul(w1).add(c8_1);
      a = FloatVector.broadcast(S, xp[b9 + o]);
      c9_0 = FMA ? a.fma(w0, c9_0) : a.mul(w0).add(c9_0);
      c9_1 = FMA ? a.fma(w1, c9_1) : a.mul(w1).add(c9_1);
      a = FloatVector.broadcast(S, xp[b10 + o]);
      c10_0 = FMA ? a.fma(w0, c10_0) : a.mul(w0).add(c10_0);
      c10_1 = FMA ? a.fma(w1, c10_1) : a.mul(w1).add(c10_1);
      a = FloatVector.broadcast(S, xp[b11 + o]);
      c11_0 = FMA ? a.fma(w0, c11_0) : a.mul(w0).add(c11_0);
      c11_1 = FMA ? a.fma(w1, c11_1) : a.mul(w1).add(c11_1);
    }
    c0_0.intoArray(yp, yo + 0);
    c0_1.intoArray(yp, yo + 16);
    c1_0.intoArray(yp, yo + 32);
    c1_1.intoArray(yp, yo + 48);
    c2_0.intoArray(yp, yo + 64);
    c2_1.intoArray(yp, yo + 80);
    c3_0.intoArray(yp, yo + 96);
    c3_1.intoArray(yp, yo + 112);
    c4_0.intoArray(yp, yo + 128);
    c4_1.intoArray(yp, yo + 144);
    c5_0.intoArray(yp, yo + 160);
    c5_1.intoArray(yp, yo + 176);
    c6_0.intoArray(yp, yo + 192);
    c6_1.intoArray(yp, yo + 208);
    c7_0.intoArray(yp, yo + 224);
    c7_1.intoArray(yp, yo + 240);
    c8_0.intoArray(yp, yo + 256);
    c8_1.intoArray(yp, yo + 272);
    c9_0.intoArray(yp, yo + 288);
    c9_1.intoArray(yp, yo + 304);
    c10_0.intoArray(yp, yo + 320);
    c10_1.intoArray(yp, yo + 336);
    c11_0.intoArray(yp, yo + 352);
    c11_1.intoArray(yp, yo + 368);
  }

  /**
   * The weight gradient's tile: 6 (channel, tap) rows × 4 vectors (64 filters) of {@code acc} (rows
   * of 64 floats from {@code ao}), added to over {@code images} images of {@code positions} pixels.
   * Per pixel: 4 loads of the output gradient (stored {@code [pixel][filter]}: {@code rowStride}
   * floats per pixel, {@code dyStride} per image) and 6 broadcast input values for 24 FMAs.
   */
  static void weightTile6x4(
      float[] xp,
      int xStride,
      int[] base,
      int[] offsets,
      int k0,
      float[] dy,
      int dyOff,
      int rowStride,
      int dyStride,
      int images,
      int positions,
      float[] acc,
      int ao) {
    int o0 = offsets[k0 + 0];
    int o1 = offsets[k0 + 1];
    int o2 = offsets[k0 + 2];
    int o3 = offsets[k0 + 3];
    int o4 = offsets[k0 + 4];
    int o5 = offsets[k0 + 5];
    FloatVector c0_0 = FloatVector.fromArray(S, acc, ao + 0);
    FloatVector c0_1 = FloatVector.fromArray(S, acc, ao + 16);
    FloatVector c0_2 = FloatVector.fromArray(S, acc, ao + 32);
    FloatVector c0_3 = FloatVector.fromArray(S, acc, ao + 48);
    FloatVector c1_0 = FloatVector.fromArray(S, acc, ao + 64);
    FloatVector c1_1 = FloatVector.fromArray(S, acc, ao + 80);
    FloatVector c1_2 = FloatVector.fromArray(S, acc, ao + 96);
    FloatVector c1_3 = FloatVector.fromArray(S, acc, ao + 112);
    FloatVector c2_0 = FloatVector.fromArray(S, acc, ao + 128);
    FloatVector c2_1 = FloatVector.fromArray(S, acc, ao + 144);
    FloatVector c2_2 = FloatVector.fromArray(S, acc, ao + 160);
    FloatVector c2_3 = FloatVector.fromArray(S, acc, ao + 176);
    FloatVector c3_0 = FloatVector.fromArray(S, acc, ao + 192);
    FloatVector c3_1 = FloatVector.fromArray(S, acc, ao + 208);
    FloatVector c3_2 = FloatVector.fromArray(S, acc, ao + 224);
    FloatVector c3_3 = FloatVector.fromArray(S, acc, ao + 240);
    FloatVector c4_0 = FloatVector.fromArray(S, acc, ao + 256);
    FloatVector c4_1 = FloatVector.fromArray(S, acc, ao + 272);
    FloatVector c4_2 = FloatVector.fromArray(S, acc, ao + 288);
    FloatVector c4_3 = FloatVector.fromArray(S, acc, ao + 304);
    FloatVector c5_0 = FloatVector.fromArray(S, acc, ao + 320);
    FloatVector c5_1 = FloatVector.fromArray(S, acc, ao + 336);
    FloatVector c5_2 = FloatVector.fromArray(S, acc, ao + 352);
    FloatVector c5_3 = FloatVector.fromArray(S, acc, ao + 368);
    for (int j = 0; j < images; j++) {
      int xo = j * xStride;
      int di = dyOff + j * dyStride;
      for (int q = 0; q < positions; q++, di += rowStride) {
        int b = xo + base[q];
        FloatVector d0 = FloatVector.fromArray(S, dy, di);
        FloatVector d1 = FloatVector.fromArray(S, dy, di + 16);
        FloatVector d2 = FloatVector.fromArray(S, dy, di + 32);
        FloatVector d3 = FloatVector.fromArray(S, dy, di + 48);
        FloatVector a;
        a = FloatVector.broadcast(S, xp[b + o0]);
        c0_0 = FMA ? a.fma(d0, c0_0) : a.mul(d0).add(c0_0);
        c0_1 = FMA ? a.fma(d1, c0_1) : a.mul(d1).add(c0_1);
        c0_2 = FMA ? a.fma(d2, c0_2) : a.mul(d2).add(c0_2);
        c0_3 = FMA ? a.fma(d3, c0_3) : a.mul(d3).add(c0_3);
        a = FloatVector.broadcast(S, xp[b + o1]);
        c1_0 = FMA ? a.fma(d0, c1_0) : a.mul(d0).add(c1_0);
        c1_1 = FMA ? a.fma(d1, c1_1) : a.mul(d1).add(c1_1);
        c1_2 = FMA ? a.fma(d2, c1_2) : a.mul(d2).add(c1_2);
        c1_3 = FMA ? a.fma(d3, c1_3) : a.mul(d3).add(c1_3);
        a = FloatVector.broadcast(S, xp[b + o2]);
        c2_0 = FMA ? a.fma(d0, c2_0) : a.mul(d0).add(c2_0);
        c2_1 = FMA ? a.fma(d1, c2_1) : a.mul(d1).add(c2_1);
        c2_2 = FMA ? a.fma(d2, c2_2) : a.mul(d2).add(c2_2);
        c2_3 = FMA ? a.fma(d3, c2_3) : a.mul(d3).add(c2_3);
        a = FloatVector.broadcast(S, xp[b + o3]);
        c3_0 = FMA ? a.fma(d0, c3_0) : a.mul(d0).add(c3_0);
        c3_1 = FMA ? a.fma(d1, c3_1) : a.mul(d1).add(c3_1);
        c3_2 = FMA ? a.fma(d2, c3_2) : a.mul(d2).add(c3_2);
        c3_3 = FMA ? a.fma(d3, c3_3) : a.mul(d3).add(c3_3);
        a = FloatVector.broadcast(S, xp[b + o4]);
        c4_0 = FMA ? a.fma(d0, c4_0) : a.mul(d0).add(c4_0);
        c4_1 = FMA ? a.fma(d1, c4_1) : a.mul(d1).add(c4_1);
        c4_2 = FMA ? a.fma(d2, c4_2) : a.mul(d2).add(c4_2);
        c4_3 = FMA ? a.fma(d3, c4_3) : a.mul(d3).add(c4_3);
        a = FloatVector.broadcast(S, xp[b + o5]);
        c5_0 = FMA ? a.fma(d0, c5_0) : a.mul(d0).add(c5_0);
        c5_1 = FMA ? a.fma(d1, c5_1) : a.mul(d1).add(c5_1);
        c5_2 = FMA ? a.fma(d2, c5_2) : a.mul(d2).add(c5_2);
        c5_3 = FMA ? a.fma(d3, c5_3) : a.mul(d3).add(c5_3);
      }
    }
    c0_0.intoArray(acc, ao + 0);
    c0_1.intoArray(acc, ao + 16);
    c0_2.intoArray(acc, ao + 32);
    c0_3.intoArray(acc, ao + 48);
    c1_0.intoArray(acc, ao + 64);
    c1_1.intoArray(acc, ao + 80);
    c1_2.intoArray(acc, ao + 96);
    c1_3.intoArray(acc, ao + 112);
    c2_0.intoArray(acc, ao + 128);
    c2_1.intoArray(acc, ao + 144);
    c2_2.intoArray(acc, ao + 160);
    c2_3.intoArray(acc, ao + 176);
    c3_0.intoArray(acc, ao + 192);
    c3_1.intoArray(acc, ao + 208);
    c3_2.intoArray(acc, ao + 224);
    c3_3.intoArray(acc, ao + 240);
    c4_0.intoArray(acc, ao + 256);
    c4_1.intoArray(acc, ao + 272);
    c4_2.intoArray(acc, ao + 288);
    c4_3.intoArray(acc, ao + 304);
    c5_0.intoArray(acc, ao + 320);
    c5_1.intoArray(acc, ao + 336);
    c5_2.intoArray(acc, ao + 352);
    c5_3.intoArray(acc, ao + 368);
  }

  /**
   * The weight gradient's tile: 12 (channel, tap) rows × 2 vectors (32 filters) of {@code acc}
   * (rows of 32 floats from {@code ao}), added to over {@code images} images of {@code positions}
   * pixels. Per pixel: 2 loads of the output gradient (stored {@code [pixel][filter]}: {@code
   * rowStride} floats per pixel, {@code dyStride} per image) and 12 broadcast input values for 24
   * FMAs.
   */
  static void weightTile12x2(
      float[] xp,
      int xStride,
      int[] base,
      int[] offsets,
      int k0,
      float[] dy,
      int dyOff,
      int rowStride,
      int dyStride,
      int images,
      int positions,
      float[] acc,
      int ao) {
    int o0 = offsets[k0 + 0];
    int o1 = offsets[k0 + 1];
    int o2 = offsets[k0 + 2];
    int o3 = offsets[k0 + 3];
    int o4 = offsets[k0 + 4];
    int o5 = offsets[k0 + 5];
    int o6 = offsets[k0 + 6];
    int o7 = offsets[k0 + 7];
    int o8 = offsets[k0 + 8];
    int o9 = offsets[k0 + 9];
    int o10 = offsets[k0 + 10];
    int o11 = offsets[k0 + 11];
    FloatVector c0_0 = FloatVector.fromArray(S, acc, ao + 0);
    FloatVector c0_1 = FloatVector.fromArray(S, acc, ao + 16);
    FloatVector c1_0 = FloatVector.fromArray(S, acc, ao + 32);
    FloatVector c1_1 = FloatVector.fromArray(S, acc, ao + 48);
    FloatVector c2_0 = FloatVector.fromArray(S, acc, ao + 64);
    FloatVector c2_1 = FloatVector.fromArray(S, acc, ao + 80);
    FloatVector c3_0 = FloatVector.fromArray(S, acc, ao + 96);
    FloatVector c3_1 = FloatVector.fromArray(S, acc, ao + 112);
    FloatVector c4_0 = FloatVector.fromArray(S, acc, ao + 128);
    FloatVector c4_1 = FloatVector.fromArray(S, acc, ao + 144);
    FloatVector c5_0 = FloatVector.fromArray(S, acc, ao + 160);
    FloatVector c5_1 = FloatVector.fromArray(S, acc, ao + 176);
    FloatVector c6_0 = FloatVector.fromArray(S, acc, ao + 192);
    FloatVector c6_1 = FloatVector.fromArray(S, acc, ao + 208);
    FloatVector c7_0 = FloatVector.fromArray(S, acc, ao + 224);
    FloatVector c7_1 = FloatVector.fromArray(S, acc, ao + 240);
    FloatVector c8_0 = FloatVector.fromArray(S, acc, ao + 256);
    FloatVector c8_1 = FloatVector.fromArray(S, acc, ao + 272);
    FloatVector c9_0 = FloatVector.fromArray(S, acc, ao + 288);
    FloatVector c9_1 = FloatVector.fromArray(S, acc, ao + 304);
    FloatVector c10_0 = FloatVector.fromArray(S, acc, ao + 320);
    FloatVector c10_1 = FloatVector.fromArray(S, acc, ao + 336);
    FloatVector c11_0 = FloatVector.fromArray(S, acc, ao + 352);
    FloatVector c11_1 = FloatVector.fromArray(S, acc, ao + 368);
    for (int j = 0; j < images; j++) {
      int xo = j * xStride;
      int di = dyOff + j * dyStride;
      for (int q = 0; q < positions; q++, di += rowStride) {
        int b = xo + base[q];
        FloatVector d0 = FloatVector.fromArray(S, dy, di);
        FloatVector d1 = FloatVector.fromArray(S, dy, di + 16);
        FloatVector a;
        a = FloatVector.broadcast(S, xp[b + o0]);
        c0_0 = FMA ? a.fma(d0, c0_0) : a.mul(d0).add(c0_0);
        c0_1 = FMA ? a.fma(d1, c0_1) : a.mul(d1).add(c0_1);
        a = FloatVector.broadcast(S, xp[b + o1]);
        c1_0 = FMA ? a.fma(d0, c1_0) : a.mul(d0).add(c1_0);
        c1_1 = FMA ? a.fma(d1, c1_1) : a.mul(d1).add(c1_1);
        a = FloatVector.broadcast(S, xp[b + o2]);
        c2_0 = FMA ? a.fma(d0, c2_0) : a.mul(d0).add(c2_0);
        c2_1 = FMA ? a.fma(d1, c2_1) : a.mul(d1).add(c2_1);
        a = FloatVector.broadcast(S, xp[b + o3]);
        c3_0 = FMA ? a.fma(d0, c3_0) : a.mul(d0).add(c3_0);
        c3_1 = FMA ? a.fma(d1, c3_1) : a.mul(d1).add(c3_1);
        a = FloatVector.broadcast(S, xp[b + o4]);
        c4_0 = FMA ? a.fma(d0, c4_0) : a.mul(d0).add(c4_0);
        c4_1 = FMA ? a.fma(d1, c4_1) : a.mul(d1).add(c4_1);
        a = FloatVector.broadcast(S, xp[b + o5]);
        c5_0 = FMA ? a.fma(d0, c5_0) : a.mul(d0).add(c5_0);
        c5_1 = FMA ? a.fma(d1, c5_1) : a.mul(d1).add(c5_1);
        a = FloatVector.broadcast(S, xp[b + o6]);
        c6_0 = FMA ? a.fma(d0, c6_0) : a.mul(d0).add(c6_0);
        c6_1 = FMA ? a.fma(d1, c6_1) : a.mul(d1).add(c6_1);
        a = FloatVector.broadcast(S, xp[b + o7]);
        c7_0 = FMA ? a.fma(d0, c7_0) : a.mul(d0).add(c7_0);
        c7_1 = FMA ? a.fma(d1, c7_1) : a.mul(d1).add(c7_1);
        a = FloatVector.broadcast(S, xp[b + o8]);
        c8_0 = FMA ? a.fma(d0, c8_0) : a.mul(d0).add(c8_0);
        c8_1 = FMA ? a.fma(d1, c8_1) : a.mul(d1).add(c8_1);
        a = FloatVector.broadcast(S, xp[b + o9]);
        c9_0 = FMA ? a.fma(d0, c9_0) : a.mul(d0).add(c9_0);
        c9_1 = FMA ? a.fma(d1, c9_1) : a.mul(d1).add(c9_1);
        a = FloatVector.broadcast(S, xp[b + o10]);
        c10_0 = FMA ? a.fma(d0, c10_0) : a.mul(d0).add(c10_0);
        c10_1 = FMA ? a.fma(d1, c10_1) : a.mul(d1).add(c10_1);
        a = FloatVector.broadcast(S, xp[b + o11]);
        c11_0 = FMA ? a.fma(d0, c11_0) : a.mul(d0).add(c11_0);
        c11_1 = FMA ? a.fma(d1, c11_1) : a.mul(d1).add(c11_1);
      }
    }
    c0_0.intoArray(acc, ao + 0);
    c0_1.intoArray(acc, ao + 16);
    c1_0.intoArray(acc, ao + 32);
    c1_1.intoArray(acc, ao + 48);
    c2_0.intoArray(acc, ao + 64);
    c2_1.intoArray(acc, ao + 80);
    c3_0.intoArray(acc, ao + 96);
    c3_1.intoArray(acc, ao + 112);
    c4_0.intoArray(acc, ao + 128);
    c4_1.intoArray(acc, ao + 144);
    c5_0.intoArray(acc, ao + 160);
    c5_1.intoArray(acc, ao + 176);
    c6_0.intoArray(acc, ao + 192);
    c6_1.intoArray(acc, ao + 208);
    c7_0.intoArray(acc, ao + 224);
    c7_1.intoArray(acc, ao + 240);
    c8_0.intoArray(acc, ao + 256);
    c8_1.intoArray(acc, ao + 272);
    c9_0.intoArray(acc, ao + 288);
    c9_1.intoArray(acc, ao + 304);
    c10_0.intoArray(acc, ao + 320);
    c10_1.intoArray(acc, ao + 336);
    c11_0.intoArray(acc, ao + 352);
    c11_1.intoArray(acc, ao + 368);
  }
}
