package dev.kronet.gkpd.decompose;

import dev.kronet.engine.KronetException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The compact SVD {@code M = U·diag(σ)·Vᵀ} of an m×n matrix with {@code k = min(m, n)} singular
 * values in descending order, computed by EJML. Singular vectors are only defined up to sign; to
 * make results reproducible each pair (u_i, v_i) is flipped so that the entry of u_i with the
 * largest magnitude (the first such) is positive.
 *
 * @param u m×k, orthonormal columns
 * @param sigma the k singular values, descending
 * @param v n×k, orthonormal columns
 */
public record SortedSvd(DMatrixRMaj u, double[] sigma, DMatrixRMaj v) {

  /** The SVD of {@code m} ({@code m} is not modified). */
  public static SortedSvd of(DMatrixRMaj m) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
    if (!svd.decompose(m.copy())) {
      throw new KronetException(
          "SVD of a " + m.numRows + "×" + m.numCols + " matrix did not converge");
    }
    DMatrixRMaj u = svd.getU(null, false);
    DMatrixRMaj w = svd.getW(null);
    DMatrixRMaj v = svd.getV(null, false);
    SingularOps_DDRM.descendingOrder(u, false, w, v, false);
    int k = Math.min(m.numRows, m.numCols);
    double[] sigma = new double[k];
    for (int i = 0; i < k; i++) {
      sigma[i] = w.get(i, i);
    }
    fixSigns(u, v, k);
    return new SortedSvd(u, sigma, v);
  }

  /**
   * Only the singular values of {@code m}, descending: several times cheaper than {@link #of}
   * because no singular vectors are accumulated.
   */
  public static double[] singularValuesOf(DMatrixRMaj m) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
    if (!svd.decompose(m.copy())) {
      throw new KronetException(
          "SVD of a " + m.numRows + "×" + m.numCols + " matrix did not converge");
    }
    double[] sigma = java.util.Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
    java.util.Arrays.sort(sigma);
    for (int i = 0, j = sigma.length - 1; i < j; i++, j--) {
      double t = sigma[i];
      sigma[i] = sigma[j];
      sigma[j] = t;
    }
    return sigma;
  }

  /** {@code sqrt(Σ_{i ≥ rank} σ_i²)} of a descending spectrum, summed from the smallest. */
  static double tailNorm(double[] sigma, int rank) {
    double s = 0;
    for (int i = sigma.length - 1; i >= rank; i--) {
      s += sigma[i] * sigma[i];
    }
    return Math.sqrt(s);
  }

  /** The number of singular values, {@code min(m, n)}. */
  public int size() {
    return sigma.length;
  }

  /**
   * {@code sqrt(Σ_{i ≥ rank} σ_i²)}: by Eckart–Young the error of the best rank-r approximation.
   */
  public double tailNorm(int rank) {
    return tailNorm(sigma, rank);
  }

  private static void fixSigns(DMatrixRMaj u, DMatrixRMaj v, int k) {
    for (int c = 0; c < k; c++) {
      int arg = 0;
      for (int r = 1; r < u.numRows; r++) {
        if (Math.abs(u.get(r, c)) > Math.abs(u.get(arg, c))) {
          arg = r;
        }
      }
      if (u.get(arg, c) < 0) {
        for (int r = 0; r < u.numRows; r++) {
          u.set(r, c, -u.get(r, c));
        }
        for (int r = 0; r < v.numRows; r++) {
          v.set(r, c, -v.get(r, c));
        }
      }
    }
  }
}
