package dev.kronet.gkpd.decompose;

import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.algebra.Rearrangement;

/**
 * Solves the multidimensional nearest Kronecker product problem (11) for every number of terms R̂
 * at once. Since R_w is an isometry, (11) equals the low-rank problem (12) on R_w(W), whose optimum
 * for each R̂ is the truncated SVD of R_w(W) (Eckart–Young; Van Loan and Pitsianis 1992 for
 * matrices). One SVD per factor shape therefore serves every rank.
 */
public final class NearestKronecker {
  private NearestKronecker() {}

  /** The decomposition of {@code w} into factors of shapes {@code aShape} and {@code bShape}. */
  public static KroneckerDecomposition decompose(DoubleTensor w, int[] aShape, int[] bShape) {
    KroneckerLayout layout = KroneckerLayout.of(aShape, bShape);
    layout.requireW("nearest Kronecker: W", w);
    return decompose(w, layout);
  }

  /**
   * Only the singular spectrum of R_w(W), enough for the error of every R̂ (the configuration
   * search prices all factor shapes this way and decomposes only the one it picks).
   */
  public static KroneckerSpectrum spectrum(DoubleTensor w, KroneckerLayout layout) {
    layout.requireW("nearest Kronecker: W", w);
    return new KroneckerSpectrum(
        layout, SortedSvd.singularValuesOf(Rearrangement.rw(w, layout)), w.frobeniusNorm());
  }

  /** The decomposition of {@code w} into factors of the layout's shapes. */
  public static KroneckerDecomposition decompose(DoubleTensor w, KroneckerLayout layout) {
    layout.requireW("nearest Kronecker: W", w);
    SortedSvd svd = SortedSvd.of(Rearrangement.rw(w, layout));
    return new KroneckerDecomposition(layout, svd, w.frobeniusNorm());
  }
}
