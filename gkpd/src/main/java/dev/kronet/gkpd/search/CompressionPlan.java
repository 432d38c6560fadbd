package dev.kronet.gkpd.search;

import java.util.List;

/**
 * The per-layer choices of a network search and the target they were made for.
 *
 * @param layers one report per input layer, in input order
 * @param paramLimit the parameter limit the target set
 * @param macLimit the MAC limit, {@link Long#MAX_VALUE} for none
 */
public record CompressionPlan(List<LayerReport> layers, long paramLimit, long macLimit) {
  public CompressionPlan {
    layers = List.copyOf(layers);
  }

  public long denseParams() {
    return layers.stream().mapToLong(LayerReport::denseParams).sum();
  }

  public long params() {
    return layers.stream().mapToLong(LayerReport::params).sum();
  }

  public long denseMacs() {
    return layers.stream().mapToLong(LayerReport::denseMacs).sum();
  }

  public long macs() {
    return layers.stream().mapToLong(LayerReport::macs).sum();
  }

  /** Dense parameters over planned parameters. */
  public double compression() {
    return (double) denseParams() / params();
  }

  /**
   * The size-weighted mean relative error {@code Σ_l |W_l|·e_l / Σ_l |W_l|} over all layers (a
   * skipped layer contributes error 0): the quantity the greedy allocation minimises.
   */
  public double weightedError() {
    double num = 0;
    for (LayerReport l : layers) {
      num += l.denseParams() * l.relativeError();
    }
    return num / denseParams();
  }
}
