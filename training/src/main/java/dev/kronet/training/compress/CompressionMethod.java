package dev.kronet.training.compress;

import dev.kronet.engine.KronetException;
import java.util.Locale;

/** How eligible convolutions are replaced: the paper's GKPD or one of its two baselines. */
public enum CompressionMethod {
  /** Sum of Kronecker products (KroneckerConv2d), configuration searched per layer. */
  GKPD,
  /** Truncated SVD of the F×(C·kh·kw) unfolding: kh×kw conv to r channels, then 1×1. */
  SVD,
  /** Tucker-2 (HOSVD on the channel modes): 1×1, kh×kw core, 1×1. */
  TUCKER;

  public static CompressionMethod parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new KronetException(
          "unknown compression method '" + s + "'; expected gkpd, svd or tucker");
    }
  }
}
