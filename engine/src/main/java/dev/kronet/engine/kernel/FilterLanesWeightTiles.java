package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight-gradient tiles of {@link FilterLanesConv} ({@link FilterLanesSimd#weightTile} picks
 * one): (channel, tap) rows × vectors of filters, summed over pixels with the output gradient in
 * pixel rows. Shapes as {@link FilterLanesSimd}'s forward tiles with 32 registers, 4 × 2 with 16.
 * Loaded only when {@link Simd#ENABLED}.
 */
final class FilterLanesWeightTiles {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  private FilterLanesWeightTiles() {}

  /**
   * The weight gradient's tile: 6 (channel, tap) rows × 4 vectors (4·L filters) of {@code acc}
   * (rows of 4·L floats from {@code ao}), added to over {@code images} images of {@code positions}
   * pixels. Per pixel: 4 loads of the output gradient (stored {@code [pixel][filter]}: {@code
   * rowStride} floats per pixel, {@code dyStride} per image) and 6 broadcast input values for 24
   * FMAs.
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
    FloatVector c0_0 = FloatVector.fromArray(S, acc, ao);
    FloatVector c0_1 = FloatVector.fromArray(S, acc, ao + L);
    FloatVector c0_2 = FloatVector.fromArray(S, acc, ao + 2 * L);
    FloatVector c0_3 = FloatVector.fromArray(S, acc, ao + 3 * L);
    FloatVector c1_0 = FloatVector.fromArray(S, acc, ao + 4 * L);
    FloatVector c1_1 = FloatVector.fromArray(S, acc, ao + 5 * L);
    FloatVector c1_2 = FloatVector.fromArray(S, acc, ao + 6 * L);
    FloatVector c1_3 = FloatVector.fromArray(S, acc, ao + 7 * L);
    FloatVector c2_0 = FloatVector.fromArray(S, acc, ao + 8 * L);
    FloatVector c2_1 = FloatVector.fromArray(S, acc, ao + 9 * L);
    FloatVector c2_2 = FloatVector.fromArray(S, acc, ao + 10 * L);
    FloatVector c2_3 = FloatVector.fromArray(S, acc, ao + 11 * L);
    FloatVector c3_0 = FloatVector.fromArray(S, acc, ao + 12 * L);
    FloatVector c3_1 = FloatVector.fromArray(S, acc, ao + 13 * L);
    FloatVector c3_2 = FloatVector.fromArray(S, acc, ao + 14 * L);
    FloatVector c3_3 = FloatVector.fromArray(S, acc, ao + 15 * L);
    FloatVector c4_0 = FloatVector.fromArray(S, acc, ao + 16 * L);
    FloatVector c4_1 = FloatVector.fromArray(S, acc, ao + 17 * L);
    FloatVector c4_2 = FloatVector.fromArray(S, acc, ao + 18 * L);
    FloatVector c4_3 = FloatVector.fromArray(S, acc, ao + 19 * L);
    FloatVector c5_0 = FloatVector.fromArray(S, acc, ao + 20 * L);
    FloatVector c5_1 = FloatVector.fromArray(S, acc, ao + 21 * L);
    FloatVector c5_2 = FloatVector.fromArray(S, acc, ao + 22 * L);
    FloatVector c5_3 = FloatVector.fromArray(S, acc, ao + 23 * L);
    for (int j = 0; j < images; j++) {
      int xo = j * xStride;
      int di = dyOff + j * dyStride;
      for (int q = 0; q < positions; q++, di += rowStride) {
        int b = xo + base[q];
        FloatVector d0 = FloatVector.fromArray(S, dy, di);
        FloatVector d1 = FloatVector.fromArray(S, dy, di + L);
        FloatVector d2 = FloatVector.fromArray(S, dy, di + 2 * L);
        FloatVector d3 = FloatVector.fromArray(S, dy, di + 3 * L);
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
    c0_0.intoArray(acc, ao);
    c0_1.intoArray(acc, ao + L);
    c0_2.intoArray(acc, ao + 2 * L);
    c0_3.intoArray(acc, ao + 3 * L);
    c1_0.intoArray(acc, ao + 4 * L);
    c1_1.intoArray(acc, ao + 5 * L);
    c1_2.intoArray(acc, ao + 6 * L);
    c1_3.intoArray(acc, ao + 7 * L);
    c2_0.intoArray(acc, ao + 8 * L);
    c2_1.intoArray(acc, ao + 9 * L);
    c2_2.intoArray(acc, ao + 10 * L);
    c2_3.intoArray(acc, ao + 11 * L);
    c3_0.intoArray(acc, ao + 12 * L);
    c3_1.intoArray(acc, ao + 13 * L);
    c3_2.intoArray(acc, ao + 14 * L);
    c3_3.intoArray(acc, ao + 15 * L);
    c4_0.intoArray(acc, ao + 16 * L);
    c4_1.intoArray(acc, ao + 17 * L);
    c4_2.intoArray(acc, ao + 18 * L);
    c4_3.intoArray(acc, ao + 19 * L);
    c5_0.intoArray(acc, ao + 20 * L);
    c5_1.intoArray(acc, ao + 21 * L);
    c5_2.intoArray(acc, ao + 22 * L);
    c5_3.intoArray(acc, ao + 23 * L);
  }

  /**
   * The weight gradient's tile: 12 (channel, tap) rows × 2 vectors (2·L filters) of {@code acc}
   * (rows of 2·L floats from {@code ao}), added to over {@code images} images of {@code positions}
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
    FloatVector c0_0 = FloatVector.fromArray(S, acc, ao);
    FloatVector c0_1 = FloatVector.fromArray(S, acc, ao + L);
    FloatVector c1_0 = FloatVector.fromArray(S, acc, ao + 2 * L);
    FloatVector c1_1 = FloatVector.fromArray(S, acc, ao + 3 * L);
    FloatVector c2_0 = FloatVector.fromArray(S, acc, ao + 4 * L);
    FloatVector c2_1 = FloatVector.fromArray(S, acc, ao + 5 * L);
    FloatVector c3_0 = FloatVector.fromArray(S, acc, ao + 6 * L);
    FloatVector c3_1 = FloatVector.fromArray(S, acc, ao + 7 * L);
    FloatVector c4_0 = FloatVector.fromArray(S, acc, ao + 8 * L);
    FloatVector c4_1 = FloatVector.fromArray(S, acc, ao + 9 * L);
    FloatVector c5_0 = FloatVector.fromArray(S, acc, ao + 10 * L);
    FloatVector c5_1 = FloatVector.fromArray(S, acc, ao + 11 * L);
    FloatVector c6_0 = FloatVector.fromArray(S, acc, ao + 12 * L);
    FloatVector c6_1 = FloatVector.fromArray(S, acc, ao + 13 * L);
    FloatVector c7_0 = FloatVector.fromArray(S, acc, ao + 14 * L);
    FloatVector c7_1 = FloatVector.fromArray(S, acc, ao + 15 * L);
    FloatVector c8_0 = FloatVector.fromArray(S, acc, ao + 16 * L);
    FloatVector c8_1 = FloatVector.fromArray(S, acc, ao + 17 * L);
    FloatVector c9_0 = FloatVector.fromArray(S, acc, ao + 18 * L);
    FloatVector c9_1 = FloatVector.fromArray(S, acc, ao + 19 * L);
    FloatVector c10_0 = FloatVector.fromArray(S, acc, ao + 20 * L);
    FloatVector c10_1 = FloatVector.fromArray(S, acc, ao + 21 * L);
    FloatVector c11_0 = FloatVector.fromArray(S, acc, ao + 22 * L);
    FloatVector c11_1 = FloatVector.fromArray(S, acc, ao + 23 * L);
    for (int j = 0; j < images; j++) {
      int xo = j * xStride;
      int di = dyOff + j * dyStride;
      for (int q = 0; q < positions; q++, di += rowStride) {
        int b = xo + base[q];
        FloatVector d0 = FloatVector.fromArray(S, dy, di);
        FloatVector d1 = FloatVector.fromArray(S, dy, di + L);
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
    c0_0.intoArray(acc, ao);
    c0_1.intoArray(acc, ao + L);
    c1_0.intoArray(acc, ao + 2 * L);
    c1_1.intoArray(acc, ao + 3 * L);
    c2_0.intoArray(acc, ao + 4 * L);
    c2_1.intoArray(acc, ao + 5 * L);
    c3_0.intoArray(acc, ao + 6 * L);
    c3_1.intoArray(acc, ao + 7 * L);
    c4_0.intoArray(acc, ao + 8 * L);
    c4_1.intoArray(acc, ao + 9 * L);
    c5_0.intoArray(acc, ao + 10 * L);
    c5_1.intoArray(acc, ao + 11 * L);
    c6_0.intoArray(acc, ao + 12 * L);
    c6_1.intoArray(acc, ao + 13 * L);
    c7_0.intoArray(acc, ao + 14 * L);
    c7_1.intoArray(acc, ao + 15 * L);
    c8_0.intoArray(acc, ao + 16 * L);
    c8_1.intoArray(acc, ao + 17 * L);
    c9_0.intoArray(acc, ao + 18 * L);
    c9_1.intoArray(acc, ao + 19 * L);
    c10_0.intoArray(acc, ao + 20 * L);
    c10_1.intoArray(acc, ao + 21 * L);
    c11_0.intoArray(acc, ao + 22 * L);
    c11_1.intoArray(acc, ao + 23 * L);
  }

  /**
   * The weight gradient's tile for 16 registers: 4 (channel, tap) rows × 2 vectors (2·L filters) of
   * {@code acc} (rows of 2·L floats from {@code ao}), added to over {@code images} images of {@code
   * positions} pixels. Per pixel: 2 loads of the output gradient and 4 broadcast input values for 8
   * FMAs. Not 6 × 2 as the forward tile: its 12 accumulators, 2 gradient vectors and the broadcast
   * fill 15 of the 16 registers, and measured at 8 lanes with {@code -XX:UseAVX=2} it ran at 38–45
   * GFLOP/s in most JVM runs (C2 spilling on the accumulator chains) against 68–72 for this tile,
   * run after run.
   */
  static void weightTile4x2(
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
    FloatVector c0_0 = FloatVector.fromArray(S, acc, ao);
    FloatVector c0_1 = FloatVector.fromArray(S, acc, ao + L);
    FloatVector c1_0 = FloatVector.fromArray(S, acc, ao + 2 * L);
    FloatVector c1_1 = FloatVector.fromArray(S, acc, ao + 3 * L);
    FloatVector c2_0 = FloatVector.fromArray(S, acc, ao + 4 * L);
    FloatVector c2_1 = FloatVector.fromArray(S, acc, ao + 5 * L);
    FloatVector c3_0 = FloatVector.fromArray(S, acc, ao + 6 * L);
    FloatVector c3_1 = FloatVector.fromArray(S, acc, ao + 7 * L);
    for (int j = 0; j < images; j++) {
      int xo = j * xStride;
      int di = dyOff + j * dyStride;
      for (int q = 0; q < positions; q++, di += rowStride) {
        int b = xo + base[q];
        FloatVector d0 = FloatVector.fromArray(S, dy, di);
        FloatVector d1 = FloatVector.fromArray(S, dy, di + L);
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
      }
    }
    c0_0.intoArray(acc, ao);
    c0_1.intoArray(acc, ao + L);
    c1_0.intoArray(acc, ao + 2 * L);
    c1_1.intoArray(acc, ao + 3 * L);
    c2_0.intoArray(acc, ao + 4 * L);
    c2_1.intoArray(acc, ao + 5 * L);
    c3_0.intoArray(acc, ao + 6 * L);
    c3_1.intoArray(acc, ao + 7 * L);
  }
}
