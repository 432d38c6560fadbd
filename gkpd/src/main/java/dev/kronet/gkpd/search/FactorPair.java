package dev.kronet.gkpd.search;

import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.cost.ConvShape;

/**
 * One way to split a convolution weight shape: W = A ⊗ B with A of shape {@code a}, B {@code b}.
 */
public record FactorPair(ConvShape a, ConvShape b) {
  /** The shape of A ⊗ B. */
  public ConvShape w() {
    return a.times(b);
  }

  public KroneckerLayout layout() {
    return KroneckerLayout.of(a.toArray(), b.toArray());
  }

  /** R = min(|A|, |B|) (eq. 10). */
  public int kroneckerRank() {
    return (int) Math.min(a.numel(), b.numel());
  }

  @Override
  public String toString() {
    return a + " ⊗ " + b;
  }
}
