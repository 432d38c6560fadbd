package dev.kronet.gkpd.decompose;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.algebra.KroneckerLayout;

/**
 * The singular values σ_1 ≥ … ≥ σ_R of R_w(W) for one factor layout and ||W||_F: by Eckart–Young on
 * (12) they give the optimal error of (11) for every R̂ without the factors themselves.
 */
public final class KroneckerSpectrum {
  private final KroneckerLayout layout;
  private final double[] sigma;
  private final double norm;

  KroneckerSpectrum(KroneckerLayout layout, double[] sigma, double norm) {
    this.layout = layout;
    this.sigma = sigma;
    this.norm = norm;
  }

  public KroneckerLayout layout() {
    return layout;
  }

  /** R = min(∏a, ∏b) (eq. 10). */
  public int kroneckerRank() {
    return sigma.length;
  }

  public double[] singularValues() {
    return sigma.clone();
  }

  /** sqrt(Σ_{i>r} σ_i²) / ||W||_F; 0 for W = 0. */
  public double relativeError(int rank) {
    if (rank < 0 || rank > sigma.length) {
      throw new KronetException(
          "rank R̂ = " + rank + " is outside [0, " + sigma.length + "] for " + layout);
    }
    return norm == 0 ? 0 : SortedSvd.tailNorm(sigma, rank) / norm;
  }
}
