package dev.kronet.gkpd.decompose;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.algebra.Shape;

/**
 * The GKPD of one tensor W for one factor layout: {@code R_w(W) = Σ_i σ_i u_i v_iᵀ}, giving for
 * every {@code R̂ ≤ R} (eq. 10) the optimal factors of (11) as {@code A_i = r_a⁻¹(√σ_i·u_i)},
 * {@code B_i = r_b⁻¹(√σ_i·v_i)}. The singular value is split evenly (√σ into each factor) so that
 * A_i and B_i have the same Frobenius norm, which keeps a later float32 training of the factors
 * balanced; the sum Σ A_i ⊗ B_i does not depend on the split.
 *
 * <p>Stacked factor arrays use the KroneckerConv2d layout: A as {@code [R̂, a_1, …, a_N]} (for
 * convolutions {@code [R̂, F1, C1, kh1, kw1]}) and B as {@code [R̂, b_1, …, b_N]} ({@code [R̂, F2,
 * C2, kh2, kw2]}), row-major.
 *
 * <p>A rank argument may be 0 (the empty sum, error 1) up to {@link #kroneckerRank()}.
 */
public final class KroneckerDecomposition {
  private final KroneckerLayout layout;
  private final SortedSvd svd;
  private final double norm;

  KroneckerDecomposition(KroneckerLayout layout, SortedSvd svd, double norm) {
    this.layout = layout;
    this.svd = svd;
    this.norm = norm;
  }

  public KroneckerLayout layout() {
    return layout;
  }

  /** R = min(∏a, ∏b) (eq. 10), the number of terms that reconstruct W exactly. */
  public int kroneckerRank() {
    return layout.kroneckerRank();
  }

  /** σ_1 ≥ σ_2 ≥ … ≥ σ_R of R_w(W). */
  public double[] singularValues() {
    return svd.sigma().clone();
  }

  /** ||W||_F. */
  public double norm() {
    return norm;
  }

  /**
   * ||W − Σ_{i≤r} A_i ⊗ B_i||_F = sqrt(Σ_{i>r} σ_i²) (Eckart–Young on (12)), summed from the tail
   * so that small errors do not drown in cancellation.
   */
  public double absoluteError(int rank) {
    checkRank(rank);
    return svd.tailNorm(rank);
  }

  /** {@link #absoluteError} / ||W||_F; 0 for W = 0. */
  public double relativeError(int rank) {
    double e = absoluteError(rank);
    return norm == 0 ? 0 : e / norm;
  }

  /** The A factors of the first {@code rank} terms, stacked {@code [rank, a_1, …, a_N]}. */
  public double[] factorsA(int rank) {
    return stacked(rank, svd.u(), layout.aSize());
  }

  /** The B factors of the first {@code rank} terms, stacked {@code [rank, b_1, …, b_N]}. */
  public double[] factorsB(int rank) {
    return stacked(rank, svd.v(), layout.bSize());
  }

  /** {@link #factorsA} narrowed to float32 for a KroneckerConv2d's A parameter. */
  public float[] factorsAFloat(int rank) {
    return DoubleTensor.of(factorsA(rank), stackedShape(rank, layout.aShape())).toFloatArray();
  }

  /** {@link #factorsB} narrowed to float32 for a KroneckerConv2d's B parameter. */
  public float[] factorsBFloat(int rank) {
    return DoubleTensor.of(factorsB(rank), stackedShape(rank, layout.bShape())).toFloatArray();
  }

  /** The shape of {@link #factorsA}: {@code [rank, a_1, …, a_N]}. */
  public int[] factorsAShape(int rank) {
    return stackedShape(rank, layout.aShape());
  }

  /** The shape of {@link #factorsB}: {@code [rank, b_1, …, b_N]}. */
  public int[] factorsBShape(int rank) {
    return stackedShape(rank, layout.bShape());
  }

  /** The i-th A factor (0-based), √σ_i·u_i reshaped to the A shape. */
  public DoubleTensor factorA(int i) {
    checkTerm(i);
    return DoubleTensor.of(column(svd.u(), i, Math.sqrt(svd.sigma()[i])), layout.aShape());
  }

  /** The i-th B factor (0-based), √σ_i·v_i reshaped to the B shape. */
  public DoubleTensor factorB(int i) {
    checkTerm(i);
    return DoubleTensor.of(column(svd.v(), i, Math.sqrt(svd.sigma()[i])), layout.bShape());
  }

  /** Σ_{i<rank} A_i ⊗ B_i, the best approximation of W with {@code rank} terms. */
  public DoubleTensor reconstruct(int rank) {
    return Kronecker.kronSum(layout, factorsA(rank), factorsB(rank), rank);
  }

  private double[] stacked(int rank, org.ejml.data.DMatrixRMaj m, int size) {
    checkRank(rank);
    double[] out = new double[rank * size];
    for (int i = 0; i < rank; i++) {
      double[] col = column(m, i, Math.sqrt(svd.sigma()[i]));
      System.arraycopy(col, 0, out, i * size, size);
    }
    return out;
  }

  private static double[] column(org.ejml.data.DMatrixRMaj m, int c, double scale) {
    double[] out = new double[m.numRows];
    for (int r = 0; r < m.numRows; r++) {
      out[r] = scale * m.get(r, c);
    }
    return out;
  }

  private static int[] stackedShape(int rank, int[] shape) {
    return Shape.prepend(rank, shape);
  }

  private void checkRank(int rank) {
    if (rank < 0 || rank > kroneckerRank()) {
      throw new KronetException(
          "rank R̂ = "
              + rank
              + " is outside [0, "
              + kroneckerRank()
              + "] for the Kronecker layout "
              + layout);
    }
  }

  private void checkTerm(int i) {
    if (i < 0 || i >= kroneckerRank()) {
      throw new KronetException(
          "term "
              + i
              + " is outside [0, "
              + kroneckerRank()
              + ") for the Kronecker layout "
              + layout);
    }
  }
}
