package dev.kronet.gkpd.search;

import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The paper's per-layer plan: every layer compressed by the network's ratio, each with its
 * least-error configuration within that ratio (and within the same MAC reduction when the target
 * limits MACs). {@link NetworkSearch} instead spends one budget across layers where it buys the
 * most error.
 */
public final class UniformPlan {
  private UniformPlan() {}

  /** The ratio every layer gets when {@code target} is spread evenly over {@code dense} weights. */
  public static double ratio(long denseParams, NetworkTarget target) {
    return denseParams / (double) target.paramLimit(denseParams);
  }

  /**
   * One report per layer, in input order, each a Kronecker candidate at the network's ratio (with
   * exactly {@code rank} terms when {@code rank > 0}, else the least-error number of terms).
   */
  public static CompressionPlan plan(List<LayerSpec> layers, NetworkTarget target, int rank) {
    long dense = 0;
    long denseMacs = 0;
    for (LayerSpec s : layers) {
      dense += s.weight().numel();
      denseMacs += ConvCost.denseMacs(s.shape(), s.geometry());
    }
    double ratio = ratio(dense, target);
    // The MAC limit as the same reduction on every layer, as the paper applies it.
    double macRatio =
        target.maxMacs() == Long.MAX_VALUE ? 0 : denseMacs / (double) target.maxMacs();
    List<LayerReport> reports = new ArrayList<>();
    for (LayerSpec s : layers) {
      ConvShape shape = s.shape();
      long layerMacs = ConvCost.denseMacs(shape, s.geometry());
      Budget budget = Budget.compression(shape.numel(), ratio);
      if (macRatio > 0) {
        budget = budget.withMaxMacs((long) Math.floor(layerMacs / macRatio));
      }
      LayerSearch search = new LayerSearch(s);
      Candidate best = rank > 0 ? search.bestOfRank(budget, rank) : search.best(budget);
      reports.add(new LayerReport(s.name(), shape, Optional.of(best), shape.numel(), layerMacs));
    }
    return new CompressionPlan(reports, target.paramLimit(dense), target.maxMacs());
  }
}
