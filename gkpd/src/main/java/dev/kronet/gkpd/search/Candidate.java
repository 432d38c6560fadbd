package dev.kronet.gkpd.search;

import dev.kronet.gkpd.cost.ConvShape;

/**
 * One Kronecker configuration of a layer: factor shapes, number of terms R̂, its parameter and MAC
 * counts ({@link dev.kronet.gkpd.cost.ConvCost}) and the relative reconstruction error {@code ||W −
 * Σ A_r ⊗ B_r||_F / ||W||_F} of the optimal factors (11).
 */
public record Candidate(FactorPair pair, int rank, long params, long macs, double relativeError) {
  public ConvShape a() {
    return pair.a();
  }

  public ConvShape b() {
    return pair.b();
  }

  @Override
  public String toString() {
    return pair
        + ", R̂ = "
        + rank
        + " ("
        + params
        + " params, "
        + macs
        + " MACs, rel. error "
        + relativeError
        + ")";
  }
}
