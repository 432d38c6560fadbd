package dev.kronet.gkpd.algebra;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import org.ejml.data.DMatrixRMaj;

/**
 * The rearrangement operators of eq. (12). {@code R_w(W)} is the {@code ∏a × ∏b} matrix whose row
 * {@code ja} is the B-shaped block of W that A's element {@code ja} scales ({@code unfold(W,
 * d_B)_ja} flattened), so that {@code R_w(A ⊗ B) = r_a(A)·r_b(B)ᵀ} with {@code r_a = vec}, {@code
 * r_b = vec} (row-major). Patches and vectors are both taken in row-major order; the paper only
 * asks that the order be the same across the three operators.
 *
 * <p>R_w only permutes the elements of W, so it is an isometry for the Frobenius norm: {@code ||W −
 * Σ A_r ⊗ B_r||_F = ||R_w(W) − Σ r_a(A_r) r_b(B_r)ᵀ||_F}, which is why (11) and (12) have the same
 * minimisers.
 */
public final class Rearrangement {
  private Rearrangement() {}

  /** R_w(W): rows indexed by flat A index, columns by flat B index. */
  public static DMatrixRMaj rw(DoubleTensor w, KroneckerLayout layout) {
    layout.requireW("R_w: W", w);
    int na = layout.aSize();
    int nb = layout.bSize();
    DMatrixRMaj m = new DMatrixRMaj(na, nb);
    double[] src = w.data();
    double[] dst = m.data;
    for (int ja = 0; ja < na; ja++) {
      int base = layout.aOffset(ja);
      for (int kb = 0; kb < nb; kb++) {
        dst[ja * nb + kb] = src[base + layout.bOffset(kb)];
      }
    }
    return m;
  }

  /** The inverse of {@link #rw}: the W whose R_w is {@code m}. */
  public static DoubleTensor rwInverse(DMatrixRMaj m, KroneckerLayout layout) {
    int na = layout.aSize();
    int nb = layout.bSize();
    if (m.numRows != na || m.numCols != nb) {
      throw new KronetException(
          "R_w⁻¹: matrix is "
              + m.numRows
              + "×"
              + m.numCols
              + ", expected "
              + na
              + "×"
              + nb
              + " for "
              + layout);
    }
    double[] w = new double[Shapes.numel(layout.wShape())];
    for (int ja = 0; ja < na; ja++) {
      int base = layout.aOffset(ja);
      for (int kb = 0; kb < nb; kb++) {
        w[base + layout.bOffset(kb)] = m.data[ja * nb + kb];
      }
    }
    return DoubleTensor.adopt(w, layout.wShape());
  }

  /** r_a(A) = vec(A) as a column vector (row-major order). */
  public static DMatrixRMaj ra(DoubleTensor a) {
    return column(a);
  }

  /** r_b(B) = vec(B) as a column vector (row-major order). */
  public static DMatrixRMaj rb(DoubleTensor b) {
    return column(b);
  }

  /** The inverse of r_a (and of r_b): the tensor of {@code shape} whose vec is {@code v}. */
  public static DoubleTensor unvec(DMatrixRMaj v, int... shape) {
    if (v.getNumElements() != Shapes.numel(shape)) {
      throw new KronetException(
          "unvec: vector has "
              + v.getNumElements()
              + " elements, shape "
              + Shapes.format(shape)
              + " needs "
              + Shapes.numel(shape));
    }
    return DoubleTensor.of(java.util.Arrays.copyOf(v.data, v.getNumElements()), shape);
  }

  private static DMatrixRMaj column(DoubleTensor t) {
    return new DMatrixRMaj(t.numel(), 1, true, t.data());
  }
}
