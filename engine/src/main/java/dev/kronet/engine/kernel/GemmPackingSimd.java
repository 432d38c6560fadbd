package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmPacking#packB} on the Vector API, for {@link SgemmVector}'s two-vector panels.
 *
 * <ul>
 *   <li>Untransposed B: each stored row is read once, front to back, and its pieces stored into the
 *       panels as whole vectors. {@code System.arraycopy} of one 128-byte piece per call, the
 *       scalar twin's way, spent more time in the calls than in the copying: packing the B of the
 *       32×288×25088 conv GEMM ran at 7 GB/s with it and 14 GB/s with vector copies.
 *   <li>Transposed B (the weight gradient's {@code dout · colsᵀ}): lanes × lanes blocks transposed
 *       in registers ({@link TransposeSimd}) where the scalar twin moves one float at a time; 2.3×
 *       faster on the 576 × 6272 B of the last stage's weight gradient.
 * </ul>
 *
 * Ragged edges (a last partial panel, K rows past a multiple of the lanes) go through the scalar
 * code. Loaded only when {@link Simd#ENABLED}.
 */
final class GemmPackingSimd {
  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  /** Panel width: two vectors, the micro-kernels' NR. */
  static final int NR = 2 * L;

  private GemmPackingSimd() {}

  /**
   * Same layout and contract as {@link GemmPacking#packB} with {@code nr = NR}: op(B) rows {@code
   * [p0, p0 + kc)} × columns {@code [j0, j0 + cols)}, panel q at {@code dOff + q·kc·NR}, columns
   * past {@code cols} in the last panel zero.
   */
  static void packB(GemmArgs g, int p0, int kc, int j0, int cols, float[] dst, int dOff) {
    boolean transposes = g.transB() && TransposeSimd.BLOCK == L;
    int whole = g.transB() && !transposes ? 0 : cols / NR;
    if (transposes) {
      packTransposed(g, p0, kc, j0, whole, dst, dOff);
    } else if (whole > 0) {
      float[] b = g.b();
      int ldb = g.ldb();
      int panelStride = kc * NR;
      for (int p = 0; p < kc; p++) {
        int src = g.bOff() + (p0 + p) * ldb + j0;
        int d = dOff + p * NR;
        for (int q = 0; q < whole; q++) {
          int s = src + q * NR;
          int t = d + q * panelStride;
          FloatVector.fromArray(S, b, s).intoArray(dst, t);
          FloatVector.fromArray(S, b, s + L).intoArray(dst, t + L);
        }
      }
    }
    int rest = cols - whole * NR;
    // the last partial panel (and, without an in-register transpose, a transposed B) as the twin
    if (rest > 0) {
      GemmPacking.packB(g, p0, kc, j0 + whole * NR, rest, NR, dst, dOff + whole * kc * NR);
    }
  }

  /**
   * Whole panels of a transposed B (stored n × k: op(B)(p, j) at {@code j·ldb + p}): each panel
   * half of L columns is L stored rows, transposed L K rows at a time; the K rows past the last
   * multiple of L are copied one float at a time.
   */
  private static void packTransposed(
      GemmArgs g, int p0, int kc, int j0, int panels, float[] dst, int dOff) {
    float[] b = g.b();
    int ldb = g.ldb();
    int blocked = kc - kc % L;
    for (int q = 0; q < panels; q++) {
      int panel = dOff + q * kc * NR;
      for (int half = 0; half < NR; half += L) {
        int src = g.bOff() + (j0 + q * NR + half) * ldb + p0;
        for (int p = 0; p < blocked; p += L) {
          TransposeSimd.transposeBlock(b, src + p, ldb, dst, panel + p * NR + half, NR);
        }
        for (int r = 0; r < L; r++) {
          for (int p = blocked; p < kc; p++) {
            dst[panel + p * NR + half + r] = b[src + r * ldb + p];
          }
        }
      }
    }
  }
}
