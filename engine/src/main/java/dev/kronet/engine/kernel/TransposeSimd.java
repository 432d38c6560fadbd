package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Square float transposes in registers, one block of the species' lane count (16 × 16, 8 × 8 or 4 ×
 * 4; {@link #BLOCK}). log2(lanes) rounds of two-vector selections ({@code index.selectFrom(a, b)}):
 * round b (lanes/2, …, 2, 1) swaps bit b of the row index with bit b of the lane index, so after
 * all rounds row r lane l holds what was row l lane r. At 16 lanes 64 selections move 256 floats,
 * where the scalar copy does 256 loads and stores (packing a transposed B for SGEMM: 2.3 ms → 1.0
 * ms for 576 × 6272 floats); index vectors measured a little faster than the equivalent two-vector
 * {@code rearrange} with a shuffle, whose index checks showed in profiles (that SGEMM, one thread,
 * two alternating pairs: 84 → 89 and 107 → 115 GFLOP/s). At 8 lanes the 8 × 8 block needs 8 rows
 * and 2 index vectors, within 16 registers. Loaded only when {@link Simd#ENABLED}.
 */
final class TransposeSimd {
  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  private static final int L = S.length();

  /** The side of the block transposed in registers: the lane count, or 0 (scalar copies only). */
  static final int BLOCK = L == 16 || L == 8 || L == 4 ? L : 0;

  /** Per round: the indexes giving the new lower row of a pair, and those giving the upper. */
  private static final FloatVector[] LOWER = shuffles(false);

  private static final FloatVector[] UPPER = shuffles(true);

  private TransposeSimd() {}

  /**
   * Rows i and i + b of a round become: lower lane l = (l has bit b) ? row[i + b][l − b] :
   * row[i][l]; upper lane l = (l has bit b) ? row[i + b][l] : row[i][l + b]. In {@code
   * selectFrom(a, b)}, index l + lanes selects lane l of b.
   */
  private static FloatVector[] shuffles(boolean upper) {
    int rounds = Integer.numberOfTrailingZeros(Math.max(BLOCK, 1));
    FloatVector[] result = new FloatVector[rounds];
    for (int round = 0, b = BLOCK / 2; round < rounds; round++, b >>= 1) {
      float[] index = new float[L];
      for (int l = 0; l < L; l++) {
        boolean high = (l & b) != 0;
        index[l] = upper ? (high ? l + L : l + b) : (high ? l - b + L : l);
      }
      result[round] = FloatVector.fromArray(S, index, 0);
    }
    return result;
  }

  /**
   * {@code dst[dOff + c·dStride + r] = src[sOff + r·sStride + c]} for r < rows, c < cols: whole
   * {@link #BLOCK}-square blocks in registers, the rows and columns past the last whole block one
   * float at a time.
   */
  static void transposeMatrix(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride, int rows, int cols) {
    int b = BLOCK;
    int wholeRows = b > 0 ? rows - rows % b : 0;
    int wholeCols = b > 0 ? cols - cols % b : 0;
    for (int r = 0; r < wholeRows; r += b) {
      for (int c = 0; c < wholeCols; c += b) {
        transposeBlock(src, sOff + r * sStride + c, sStride, dst, dOff + c * dStride + r, dStride);
      }
      for (int rr = r; rr < r + b; rr++) {
        for (int c = wholeCols; c < cols; c++) {
          dst[dOff + c * dStride + rr] = src[sOff + rr * sStride + c];
        }
      }
    }
    for (int r = wholeRows; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dOff + c * dStride + r] = src[sOff + r * sStride + c];
      }
    }
  }

  /**
   * {@code dst[dOff + l·dStride + r] = src[sOff + r·sStride + l]} for r, l in [0, {@link #BLOCK}).
   */
  static void transposeBlock(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
    switch (BLOCK) {
      case 16 -> transpose16(src, sOff, sStride, dst, dOff, dStride);
      case 8 -> transpose8(src, sOff, sStride, dst, dOff, dStride);
      case 4 -> transpose4(src, sOff, sStride, dst, dOff, dStride);
      default -> throw new IllegalStateException("no in-register transpose at " + L + " lanes");
    }
  }

  /**
   * The 4 × 4 block at 4 lanes: two rounds. Written out, as the larger ones, because C2 keeps named
   * vectors in registers but not an array of them.
   */
  private static void transpose4(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
    FloatVector r0 = FloatVector.fromArray(S, src, sOff);
    FloatVector r1 = FloatVector.fromArray(S, src, sOff + sStride);
    FloatVector r2 = FloatVector.fromArray(S, src, sOff + 2 * sStride);
    FloatVector r3 = FloatVector.fromArray(S, src, sOff + 3 * sStride);
    FloatVector t;
    FloatVector lo = LOWER[0];
    FloatVector hi = UPPER[0];
    t = lo.selectFrom(r0, r2);
    r2 = hi.selectFrom(r0, r2);
    r0 = t;
    t = lo.selectFrom(r1, r3);
    r3 = hi.selectFrom(r1, r3);
    r1 = t;
    lo = LOWER[1];
    hi = UPPER[1];
    t = lo.selectFrom(r0, r1);
    r1 = hi.selectFrom(r0, r1);
    r0 = t;
    t = lo.selectFrom(r2, r3);
    r3 = hi.selectFrom(r2, r3);
    r2 = t;
    r0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStride);
    r2.intoArray(dst, dOff + 2 * dStride);
    r3.intoArray(dst, dOff + 3 * dStride);
  }

  /** The 8 × 8 block at 8 lanes: three rounds. */
  private static void transpose8(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
    FloatVector r0 = FloatVector.fromArray(S, src, sOff);
    FloatVector r1 = FloatVector.fromArray(S, src, sOff + sStride);
    FloatVector r2 = FloatVector.fromArray(S, src, sOff + 2 * sStride);
    FloatVector r3 = FloatVector.fromArray(S, src, sOff + 3 * sStride);
    FloatVector r4 = FloatVector.fromArray(S, src, sOff + 4 * sStride);
    FloatVector r5 = FloatVector.fromArray(S, src, sOff + 5 * sStride);
    FloatVector r6 = FloatVector.fromArray(S, src, sOff + 6 * sStride);
    FloatVector r7 = FloatVector.fromArray(S, src, sOff + 7 * sStride);
    FloatVector t;
    FloatVector lo = LOWER[0];
    FloatVector hi = UPPER[0];
    t = lo.selectFrom(r0, r4);
    r4 = hi.selectFrom(r0, r4);
    r0 = t;
    t = lo.selectFrom(r1, r5);
    r5 = hi.selectFrom(r1, r5);
    r1 = t;
    t = lo.selectFrom(r2, r6);
    r6 = hi.selectFrom(r2, r6);
    r2 = t;
    t = lo.selectFrom(r3, r7);
    r7 = hi.selectFrom(r3, r7);
    r3 = t;
    lo = LOWER[1];
    hi = UPPER[1];
    t = lo.selectFrom(r0, r2);
    r2 = hi.selectFrom(r0, r2);
    r0 = t;
    t = lo.selectFrom(r1, r3);
    r3 = hi.selectFrom(r1, r3);
    r1 = t;
    t = lo.selectFrom(r4, r6);
    r6 = hi.selectFrom(r4, r6);
    r4 = t;
    t = lo.selectFrom(r5, r7);
    r7 = hi.selectFrom(r5, r7);
    r5 = t;
    lo = LOWER[2];
    hi = UPPER[2];
    t = lo.selectFrom(r0, r1);
    r1 = hi.selectFrom(r0, r1);
    r0 = t;
    t = lo.selectFrom(r2, r3);
    r3 = hi.selectFrom(r2, r3);
    r2 = t;
    t = lo.selectFrom(r4, r5);
    r5 = hi.selectFrom(r4, r5);
    r4 = t;
    t = lo.selectFrom(r6, r7);
    r7 = hi.selectFrom(r6, r7);
    r6 = t;
    r0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStride);
    r2.intoArray(dst, dOff + 2 * dStride);
    r3.intoArray(dst, dOff + 3 * dStride);
    r4.intoArray(dst, dOff + 4 * dStride);
    r5.intoArray(dst, dOff + 5 * dStride);
    r6.intoArray(dst, dOff + 6 * dStride);
    r7.intoArray(dst, dOff + 7 * dStride);
  }

  /** The 16 × 16 block at 16 lanes: four rounds. */
  private static void transpose16(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
    FloatVector r0 = FloatVector.fromArray(S, src, sOff);
    FloatVector r1 = FloatVector.fromArray(S, src, sOff + sStride);
    FloatVector r2 = FloatVector.fromArray(S, src, sOff + 2 * sStride);
    FloatVector r3 = FloatVector.fromArray(S, src, sOff + 3 * sStride);
    FloatVector r4 = FloatVector.fromArray(S, src, sOff + 4 * sStride);
    FloatVector r5 = FloatVector.fromArray(S, src, sOff + 5 * sStride);
    FloatVector r6 = FloatVector.fromArray(S, src, sOff + 6 * sStride);
    FloatVector r7 = FloatVector.fromArray(S, src, sOff + 7 * sStride);
    FloatVector r8 = FloatVector.fromArray(S, src, sOff + 8 * sStride);
    FloatVector r9 = FloatVector.fromArray(S, src, sOff + 9 * sStride);
    FloatVector r10 = FloatVector.fromArray(S, src, sOff + 10 * sStride);
    FloatVector r11 = FloatVector.fromArray(S, src, sOff + 11 * sStride);
    FloatVector r12 = FloatVector.fromArray(S, src, sOff + 12 * sStride);
    FloatVector r13 = FloatVector.fromArray(S, src, sOff + 13 * sStride);
    FloatVector r14 = FloatVector.fromArray(S, src, sOff + 14 * sStride);
    FloatVector r15 = FloatVector.fromArray(S, src, sOff + 15 * sStride);
    FloatVector t;
    FloatVector lo = LOWER[0];
    FloatVector hi = UPPER[0];
    t = lo.selectFrom(r0, r8);
    r8 = hi.selectFrom(r0, r8);
    r0 = t;
    t = lo.selectFrom(r1, r9);
    r9 = hi.selectFrom(r1, r9);
    r1 = t;
    t = lo.selectFrom(r2, r10);
    r10 = hi.selectFrom(r2, r10);
    r2 = t;
    t = lo.selectFrom(r3, r11);
    r11 = hi.selectFrom(r3, r11);
    r3 = t;
    t = lo.selectFrom(r4, r12);
    r12 = hi.selectFrom(r4, r12);
    r4 = t;
    t = lo.selectFrom(r5, r13);
    r13 = hi.selectFrom(r5, r13);
    r5 = t;
    t = lo.selectFrom(r6, r14);
    r14 = hi.selectFrom(r6, r14);
    r6 = t;
    t = lo.selectFrom(r7, r15);
    r15 = hi.selectFrom(r7, r15);
    r7 = t;
    lo = LOWER[1];
    hi = UPPER[1];
    t = lo.selectFrom(r0, r4);
    r4 = hi.selectFrom(r0, r4);
    r0 = t;
    t = lo.selectFrom(r1, r5);
    r5 = hi.selectFrom(r1, r5);
    r1 = t;
    t = lo.selectFrom(r2, r6);
    r6 = hi.selectFrom(r2, r6);
    r2 = t;
    t = lo.selectFrom(r3, r7);
    r7 = hi.selectFrom(r3, r7);
    r3 = t;
    t = lo.selectFrom(r8, r12);
    r12 = hi.selectFrom(r8, r12);
    r8 = t;
    t = lo.selectFrom(r9, r13);
    r13 = hi.selectFrom(r9, r13);
    r9 = t;
    t = lo.selectFrom(r10, r14);
    r14 = hi.selectFrom(r10, r14);
    r10 = t;
    t = lo.selectFrom(r11, r15);
    r15 = hi.selectFrom(r11, r15);
    r11 = t;
    lo = LOWER[2];
    hi = UPPER[2];
    t = lo.selectFrom(r0, r2);
    r2 = hi.selectFrom(r0, r2);
    r0 = t;
    t = lo.selectFrom(r1, r3);
    r3 = hi.selectFrom(r1, r3);
    r1 = t;
    t = lo.selectFrom(r4, r6);
    r6 = hi.selectFrom(r4, r6);
    r4 = t;
    t = lo.selectFrom(r5, r7);
    r7 = hi.selectFrom(r5, r7);
    r5 = t;
    t = lo.selectFrom(r8, r10);
    r10 = hi.selectFrom(r8, r10);
    r8 = t;
    t = lo.selectFrom(r9, r11);
    r11 = hi.selectFrom(r9, r11);
    r9 = t;
    t = lo.selectFrom(r12, r14);
    r14 = hi.selectFrom(r12, r14);
    r12 = t;
    t = lo.selectFrom(r13, r15);
    r15 = hi.selectFrom(r13, r15);
    r13 = t;
    lo = LOWER[3];
    hi = UPPER[3];
    t = lo.selectFrom(r0, r1);
    r1 = hi.selectFrom(r0, r1);
    r0 = t;
    t = lo.selectFrom(r2, r3);
    r3 = hi.selectFrom(r2, r3);
    r2 = t;
    t = lo.selectFrom(r4, r5);
    r5 = hi.selectFrom(r4, r5);
    r4 = t;
    t = lo.selectFrom(r6, r7);
    r7 = hi.selectFrom(r6, r7);
    r6 = t;
    t = lo.selectFrom(r8, r9);
    r9 = hi.selectFrom(r8, r9);
    r8 = t;
    t = lo.selectFrom(r10, r11);
    r11 = hi.selectFrom(r10, r11);
    r10 = t;
    t = lo.selectFrom(r12, r13);
    r13 = hi.selectFrom(r12, r13);
    r12 = t;
    t = lo.selectFrom(r14, r15);
    r15 = hi.selectFrom(r14, r15);
    r14 = t;
    r0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStride);
    r2.intoArray(dst, dOff + 2 * dStride);
    r3.intoArray(dst, dOff + 3 * dStride);
    r4.intoArray(dst, dOff + 4 * dStride);
    r5.intoArray(dst, dOff + 5 * dStride);
    r6.intoArray(dst, dOff + 6 * dStride);
    r7.intoArray(dst, dOff + 7 * dStride);
    r8.intoArray(dst, dOff + 8 * dStride);
    r9.intoArray(dst, dOff + 9 * dStride);
    r10.intoArray(dst, dOff + 10 * dStride);
    r11.intoArray(dst, dOff + 11 * dStride);
    r12.intoArray(dst, dOff + 12 * dStride);
    r13.intoArray(dst, dOff + 13 * dStride);
    r14.intoArray(dst, dOff + 14 * dStride);
    r15.intoArray(dst, dOff + 15 * dStride);
  }
}
