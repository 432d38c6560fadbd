package dev.kronet.training.compress;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.search.NetworkTarget;
import java.util.Set;

/**
 * What to compress and how far.
 *
 * @param method GKPD or a baseline
 * @param target a compression ratio or total parameter count over the eligible convolutions,
 *     optionally a MAC limit (GKPD only)
 * @param randomInit GKPD only: random factors of the chosen configuration instead of the
 *     decomposition of the trained weights (the paper's Table 5 setting)
 * @param include1x1 whether 1×1 convolutions (e.g. shortcut projections) are eligible
 * @param skip names of convolutions kept dense (the stem is the usual one)
 * @param allocation GKPD only: how the target is spread over layers
 * @param rank GKPD with uniform allocation only: every layer gets exactly this many Kronecker terms
 *     (its factor shapes still searched); 0 lets the search pick R̂ per layer
 */
public record CompressionRequest(
    CompressionMethod method,
    NetworkTarget target,
    boolean randomInit,
    boolean include1x1,
    Set<String> skip,
    Allocation allocation,
    int rank) {

  /**
   * UNIFORM gives every layer the same ratio and picks its least-error configuration (the paper's
   * setting); GLOBAL lets the network search move parameters to the layers where they cut the
   * size-weighted error most.
   */
  public enum Allocation {
    UNIFORM,
    GLOBAL
  }

  public CompressionRequest {
    skip = Set.copyOf(skip);
    if (rank < 0) {
      throw new KronetException("R̂ must be at least 1 (or 0: chosen by the search), got " + rank);
    }
    if (rank > 0 && method != CompressionMethod.GKPD) {
      throw new KronetException("a fixed R̂ applies to GKPD only, not " + method);
    }
    if (rank > 0 && allocation != Allocation.UNIFORM) {
      throw new KronetException(
          "a fixed R̂ applies to the uniform allocation only (the global search picks R̂ per"
              + " layer)");
    }
  }

  /** The request with R̂ chosen by the search in every layer. */
  public CompressionRequest(
      CompressionMethod method,
      NetworkTarget target,
      boolean randomInit,
      boolean include1x1,
      Set<String> skip,
      Allocation allocation) {
    this(method, target, randomInit, include1x1, skip, allocation, 0);
  }

  /** The same request with the configurations limited to {@code macs} multiply-adds per image. */
  public CompressionRequest withMaxMacs(long macs) {
    return new CompressionRequest(
        method, target.withMaxMacs(macs), randomInit, include1x1, skip, allocation, rank);
  }

  /** GKPD to {@code ratio}× on every k×k convolution but the stem {@code conv1}. */
  public static CompressionRequest gkpd(double ratio) {
    return new CompressionRequest(
        CompressionMethod.GKPD,
        NetworkTarget.compression(ratio),
        false,
        false,
        Set.of("conv1"),
        Allocation.UNIFORM);
  }
}
