package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FilterLanesConv}'s register tiles: a block of output pixels × a block of filters, the
 * filters in the vector lanes. For each (channel, tap) of the kernel the tile loads its filters'
 * weights as whole aligned vectors and broadcasts one input value per pixel, read at that pixel's
 * own address: pixels need not be adjacent, so no column is computed and thrown away and a stride
 * costs nothing. Loaded only when {@link Simd#ENABLED}.
 *
 * <p>The tiles are sized for the register file ({@link Capabilities#vectorRegisters()}), at any
 * lane count L: with 32 registers 6 pixels × 4 vectors (blocks of 4L filters) or 12 × 2 (2L), 24
 * accumulators as {@link SgemmMicroKernels}' 12 × 2 tile; with 16 registers 6 × 2 (2L), 12
 * accumulators as {@link SgemmMicroKernels16}' 6 × 2 (the weight gradient's 4 × 2, {@link
 * #weightTileRows}). Accumulators are named one by one because C2 keeps named vectors in registers
 * but not an array of them. The weight-gradient tiles are in {@link FilterLanesWeightTiles}.
 */
final class FilterLanesSimd {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  /** Whether the 24-accumulator tiles fit the register file. */
  private static final boolean WIDE = Capabilities.current().vectorRegisters() >= 32;

  private FilterLanesSimd() {}

  /**
   * Lanes per block for a multiple of 2L filters (or channels): with 32 registers 4L where they
   * divide, else 2L; with 16 registers 2L.
   */
  static int blockWidth(int n) {
    return WIDE && n % (4 * L) == 0 ? 4 * L : 2 * L;
  }

  /**
   * Pixels of one forward (or input-gradient) tile for {@code fv} filters per block ({@link
   * #blockWidth}).
   */
  static int tileRows(int fv) {
    return fv == 4 * L || !WIDE ? 6 : 12;
  }

  /**
   * (Channel, tap) rows of one weight-gradient tile for {@code fv} filters per block: as {@link
   * #tileRows} with 32 registers, 4 with 16 (see {@link FilterLanesWeightTiles#weightTile4x2}).
   */
  static int weightTileRows(int fv) {
    return WIDE ? tileRows(fv) : 4;
  }

  /**
   * The forward tile for blocks of {@code fv} filters: {@link #tile6x4}, {@link #tile12x2} or
   * {@link #tile6x2}.
   */
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
    if (fv == 4 * L) {
      tile6x4(xp, base, q0, offsets, wp, wo, yp, yo);
    } else if (WIDE) {
      tile12x2(xp, base, q0, offsets, wp, wo, yp, yo);
    } else {
      tile6x2(xp, base, q0, offsets, wp, wo, yp, yo);
    }
  }

  /** The weight-gradient tile for blocks of {@code fv} filters, as {@link #tile} picks. */
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
    if (fv == 4 * L) {
      FilterLanesWeightTiles.weightTile6x4(
          xp, xStride, base, offsets, k0, dy, dyOff, rowStride, dyStride, images, positions, acc,
          ao);
    } else if (WIDE) {
      FilterLanesWeightTiles.weightTile12x2(
          xp, xStride, base, offsets, k0, dy, dyOff, rowStride, dyStride, images, positions, acc,
          ao);
    } else {
      FilterLanesWeightTiles.weightTile4x2(
          xp, xStride, base, offsets, k0, dy, dyOff, rowStride, dyStride, images, positions, acc,
          ao);
    }
  }

  /**
   * 6 pixels × 4 vectors (4·L filters): 24 accumulators; per (channel, tap) 4 weight loads and 6
   * broadcasts for 24 FMAs. Writes the tile as 6 rows of 4·L floats at {@code yp[yo]}.
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
    for (int k = 0; k < offsets.length; k++, wi += 4 * L) {
      int o = offsets[k];
      FloatVector w0 = FloatVector.fromArray(S, wp, wi);
      FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
      FloatVector w2 = FloatVector.fromArray(S, wp, wi + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, wp, wi + 3 * L);
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
    c0_0.intoArray(yp, yo);
    c0_1.intoArray(yp, yo + L);
    c0_2.intoArray(yp, yo + 2 * L);
    c0_3.intoArray(yp, yo + 3 * L);
    c1_0.intoArray(yp, yo + 4 * L);
    c1_1.intoArray(yp, yo + 5 * L);
    c1_2.intoArray(yp, yo + 6 * L);
    c1_3.intoArray(yp, yo + 7 * L);
    c2_0.intoArray(yp, yo + 8 * L);
    c2_1.intoArray(yp, yo + 9 * L);
    c2_2.intoArray(yp, yo + 10 * L);
    c2_3.intoArray(yp, yo + 11 * L);
    c3_0.intoArray(yp, yo + 12 * L);
    c3_1.intoArray(yp, yo + 13 * L);
    c3_2.intoArray(yp, yo + 14 * L);
    c3_3.intoArray(yp, yo + 15 * L);
    c4_0.intoArray(yp, yo + 16 * L);
    c4_1.intoArray(yp, yo + 17 * L);
    c4_2.intoArray(yp, yo + 18 * L);
    c4_3.intoArray(yp, yo + 19 * L);
    c5_0.intoArray(yp, yo + 20 * L);
    c5_1.intoArray(yp, yo + 21 * L);
    c5_2.intoArray(yp, yo + 22 * L);
    c5_3.intoArray(yp, yo + 23 * L);
  }

  /**
   * 12 pixels × 2 vectors (2·L filters): 24 accumulators; per (channel, tap) 2 weight loads and 12
   * broadcasts for 24 FMAs. Writes the tile as 12 rows of 2·L floats at {@code yp[yo]}.
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
    for (int k = 0; k < offsets.length; k++, wi += 2 * L) {
      int o = offsets[k];
      FloatVector w0 = FloatVector.fromArray(S, wp, wi);
      FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
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
    c0_0.intoArray(yp, yo);
    c0_1.intoArray(yp, yo + L);
    c1_0.intoArray(yp, yo + 2 * L);
    c1_1.intoArray(yp, yo + 3 * L);
    c2_0.intoArray(yp, yo + 4 * L);
    c2_1.intoArray(yp, yo + 5 * L);
    c3_0.intoArray(yp, yo + 6 * L);
    c3_1.intoArray(yp, yo + 7 * L);
    c4_0.intoArray(yp, yo + 8 * L);
    c4_1.intoArray(yp, yo + 9 * L);
    c5_0.intoArray(yp, yo + 10 * L);
    c5_1.intoArray(yp, yo + 11 * L);
    c6_0.intoArray(yp, yo + 12 * L);
    c6_1.intoArray(yp, yo + 13 * L);
    c7_0.intoArray(yp, yo + 14 * L);
    c7_1.intoArray(yp, yo + 15 * L);
    c8_0.intoArray(yp, yo + 16 * L);
    c8_1.intoArray(yp, yo + 17 * L);
    c9_0.intoArray(yp, yo + 18 * L);
    c9_1.intoArray(yp, yo + 19 * L);
    c10_0.intoArray(yp, yo + 20 * L);
    c10_1.intoArray(yp, yo + 21 * L);
    c11_0.intoArray(yp, yo + 22 * L);
    c11_1.intoArray(yp, yo + 23 * L);
  }

  /**
   * 6 pixels × 2 vectors (2·L filters): 12 accumulators; per (channel, tap) 2 weight loads and 6
   * broadcasts for 12 FMAs. Writes the tile as 6 rows of 2·L floats at {@code yp[yo]}.
   */
  static void tile6x2(
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
    int wi = wo;
    for (int k = 0; k < offsets.length; k++, wi += 2 * L) {
      int o = offsets[k];
      FloatVector w0 = FloatVector.fromArray(S, wp, wi);
      FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
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
    }
    c0_0.intoArray(yp, yo);
    c0_1.intoArray(yp, yo + L);
    c1_0.intoArray(yp, yo + 2 * L);
    c1_1.intoArray(yp, yo + 3 * L);
    c2_0.intoArray(yp, yo + 4 * L);
    c2_1.intoArray(yp, yo + 5 * L);
    c3_0.intoArray(yp, yo + 6 * L);
    c3_1.intoArray(yp, yo + 7 * L);
    c4_0.intoArray(yp, yo + 8 * L);
    c4_1.intoArray(yp, yo + 9 * L);
    c5_0.intoArray(yp, yo + 10 * L);
    c5_1.intoArray(yp, yo + 11 * L);
  }
}
