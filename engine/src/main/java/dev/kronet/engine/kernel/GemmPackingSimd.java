package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmPacking#packB}'s untransposed case on the Vector API, for {@link SgemmVector}'s
 * two-vector panels: each stored row of B is read once, front to back, and its pieces stored into
 * the panels as whole vectors. {@code System.arraycopy} of one 128-byte piece per call, the scalar
 * twin's way, spent more time in the calls than in the copying: packing the B of the 32×288×25088
 * conv GEMM ran at 7 GB/s with it and 14 GB/s with vector copies. Loaded only when {@link
 * Simd#ENABLED}.
 */
final class GemmPackingSimd {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
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
    int whole = g.transB() ? 0 : cols / NR;
    if (whole > 0) {
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
    if (rest > 0) {
      GemmPacking.packB(g, p0, kc, j0 + whole * NR, rest, NR, dst, dOff + whole * kc * NR);
    }
  }
}
