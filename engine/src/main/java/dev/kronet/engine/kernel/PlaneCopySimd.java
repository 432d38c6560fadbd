package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row copies between planes of different row strides, with whole and masked vectors: the padding
 * copies in front of the lanes kernels, and the interleaving of two stride phases back into one
 * row. Rows there are short (7–28 floats): one {@code System.arraycopy} per row cost about 12 ns,
 * 17 % of the 16 → 32 stride-2 input gradient; a masked vector load and store moves such a row in
 * one go. The row copies run at any lane count; the interleave is written for 16 lanes ({@link
 * #AVAILABLE}). Loaded only when {@link Simd#ENABLED}.
 */
final class PlaneCopySimd {
  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  /** True when the kernels' species has 16 float lanes, as {@link #interleaveRows} needs. */
  static final boolean AVAILABLE = S.length() == 16;

  private static final int L = S.length();

  /** Index vectors for {@code selectFrom(even, odd)}: lanes 0–7 and 8–15 of each, alternating. */
  private static final FloatVector ZIP_LOW = zip(0);

  private static final FloatVector ZIP_HIGH = zip(8);

  private PlaneCopySimd() {}

  private static FloatVector zip(int from) {
    if (!AVAILABLE) {
      return null;
    }
    float[] index = new float[16];
    for (int l = 0; l < 16; l++) {
      // in selectFrom(a, b), index i + 16 selects lane i of b
      index[l] = from + l / 2 + (l % 2 == 1 ? 16 : 0);
    }
    return FloatVector.fromArray(S, index, 0);
  }

  /**
   * {@code dst[dOff + r·dStride + i] = src[sOff + r·sStride + i]} for r < rows, i < cols; nothing
   * else in dst is written.
   */
  static void copyRows(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride, int rows, int cols) {
    int whole = cols - cols % L;
    VectorMask<Float> tail = S.indexInRange(0, cols - whole);
    boolean partial = whole < cols;
    for (int r = 0; r < rows; r++) {
      int s = sOff + r * sStride;
      int d = dOff + r * dStride;
      for (int i = 0; i < whole; i += L) {
        FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
      }
      if (partial) {
        FloatVector.fromArray(S, src, s + whole, tail).intoArray(dst, d + whole, tail);
      }
    }
  }

  /**
   * Interleaves two planes of the column phases of stride 2 into rows: {@code dst[dOff + r·dStride
   * + 2i + p] = (p == 0 ? even : odd)[r·sStride + i]} ({@code even} from {@code eOff}, {@code odd}
   * from {@code oOff}), for r < rows and 2i + p < cols. Nothing else in dst is written; reads of
   * {@code odd} may go one float past a row's last written pixel when cols is odd.
   */
  static void interleaveRows(
      float[] even,
      int eOff,
      float[] odd,
      int oOff,
      int sStride,
      float[] dst,
      int dOff,
      int dStride,
      int rows,
      int cols) {
    int pairs = (cols + 1) / 2;
    if (pairs > 16) {
      for (int i = 0; i < pairs; i += 16) {
        int n = Math.min(16, pairs - i);
        interleaveRows(
            even,
            eOff + i,
            odd,
            oOff + i,
            sStride,
            dst,
            dOff + 2 * i,
            dStride,
            rows,
            Math.min(2 * n, cols - 2 * i));
      }
      return;
    }
    // one vector of pairs per row: the masks are the same for every row
    VectorMask<Float> in = S.indexInRange(0, pairs);
    VectorMask<Float> low = S.indexInRange(0, cols);
    VectorMask<Float> high = S.indexInRange(16, cols);
    boolean twoStores = cols > 16;
    for (int r = 0; r < rows; r++) {
      FloatVector a = FloatVector.fromArray(S, even, eOff + r * sStride, in);
      FloatVector b = FloatVector.fromArray(S, odd, oOff + r * sStride, in);
      int d = dOff + r * dStride;
      ZIP_LOW.selectFrom(a, b).intoArray(dst, d, low);
      if (twoStores) {
        ZIP_HIGH.selectFrom(a, b).intoArray(dst, d + 16, high);
      }
    }
  }
}
