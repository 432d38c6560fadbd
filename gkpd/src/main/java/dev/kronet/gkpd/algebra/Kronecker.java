package dev.kronet.gkpd.algebra;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;

/** The multidimensional Kronecker product (eq. 7–8) and sums of them (eq. 9). */
public final class Kronecker {
  private Kronecker() {}

  /**
   * {@code (A ⊗ B)_i = A_j·B_k} with {@code j_n = ⌊i_n / b_n⌋}, {@code k_n = i_n mod b_n} (eq.
   * 7–8): B is moved over W in non-overlapping blocks, each scaled by one element of A.
   */
  public static DoubleTensor kron(DoubleTensor a, DoubleTensor b) {
    KroneckerLayout layout = KroneckerLayout.of(a.shape(), b.shape());
    double[] w = new double[Shapes.numel(layout.wShape())];
    accumulate(w, layout, a.data(), 0, b.data(), 0);
    return DoubleTensor.adopt(w, layout.wShape());
  }

  /**
   * {@code Σ_{r<rank} A_r ⊗ B_r} (eq. 9 truncated to {@code rank} terms) for stacked factors:
   * {@code as} holds A_0, A_1, … each of {@code layout.aShape()} back to back, {@code bs} likewise.
   */
  public static DoubleTensor kronSum(KroneckerLayout layout, double[] as, double[] bs, int rank) {
    int na = layout.aSize();
    int nb = layout.bSize();
    if (rank < 0 || as.length < (long) rank * na || bs.length < (long) rank * nb) {
      throw new KronetException(
          "kronSum: "
              + rank
              + " terms of "
              + layout
              + " need "
              + (long) rank * na
              + " A values and "
              + (long) rank * nb
              + " B values, got "
              + as.length
              + " and "
              + bs.length);
    }
    double[] w = new double[Shapes.numel(layout.wShape())];
    for (int r = 0; r < rank; r++) {
      accumulate(w, layout, as, r * na, bs, r * nb);
    }
    return DoubleTensor.adopt(w, layout.wShape());
  }

  private static void accumulate(
      double[] w, KroneckerLayout layout, double[] a, int aOff, double[] b, int bOff) {
    int na = layout.aSize();
    int nb = layout.bSize();
    for (int ja = 0; ja < na; ja++) {
      double s = a[aOff + ja];
      int base = layout.aOffset(ja);
      for (int kb = 0; kb < nb; kb++) {
        w[base + layout.bOffset(kb)] += s * b[bOff + kb];
      }
    }
  }
}
