package dev.kronet.gkpd.search;

import dev.kronet.engine.KronetException;

/**
 * Limits on one layer's Kronecker configuration: at most {@code maxParams} weights (eq. 16's
 * denominator) and at most {@code maxMacs} multiply-adds per image as Algorithm 1 runs them ({@link
 * dev.kronet.gkpd.cost.ConvCost#kroneckerMacs}). {@link Long#MAX_VALUE} means no limit.
 */
public record Budget(long maxParams, long maxMacs) {
  public Budget {
    if (maxParams < 0 || maxMacs < 0) {
      throw new KronetException(
          "budget limits must be ≥ 0, got params ≤ " + maxParams + ", MACs ≤ " + maxMacs);
    }
  }

  public static Budget unlimited() {
    return new Budget(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  public static Budget params(long maxParams) {
    return new Budget(maxParams, Long.MAX_VALUE);
  }

  public static Budget macs(long maxMacs) {
    return new Budget(Long.MAX_VALUE, maxMacs);
  }

  /** At most {@code 1/ratio} of a dense layer's parameters. */
  public static Budget compression(long denseParams, double ratio) {
    if (!(ratio > 0)) {
      throw new KronetException("compression ratio must be > 0, got " + ratio);
    }
    return params((long) Math.floor(denseParams / ratio));
  }

  public Budget withMaxMacs(long macs) {
    return new Budget(maxParams, macs);
  }

  public boolean allows(long params, long macs) {
    return params <= maxParams && macs <= maxMacs;
  }

  @Override
  public String toString() {
    return "params ≤ " + limit(maxParams) + ", MACs ≤ " + limit(maxMacs);
  }

  static String limit(long v) {
    return v == Long.MAX_VALUE ? "unlimited" : Long.toString(v);
  }
}
