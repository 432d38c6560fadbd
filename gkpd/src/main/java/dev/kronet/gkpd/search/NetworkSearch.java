package dev.kronet.gkpd.search;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.cost.ConvCost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whole-network configuration search (beyond the paper, which picks each layer's configuration
 * under a per-layer FLOPs reduction). Given a global parameter target it minimises the
 * size-weighted error {@code Σ_l |W_l|·e_l} ({@link CompressionPlan#weightedError}) greedily: every
 * layer starts at the cheapest point of its error-versus-parameters Pareto front, then the move of
 * one layer to a costlier front point with the largest weighted error drop per added parameter is
 * taken while it fits, until none fits. This is the classic greedy for a multiple-choice knapsack:
 * not always optimal, but each accepted step is the best value for its parameters, and no single
 * further upgrade fits at the end.
 *
 * <p>A MAC limit is applied as the paper does per layer: every compressed layer gets the same FLOP
 * reduction, {@code cap_l = ⌊φ·denseMacs_l⌋} with {@code φ = (maxMacs − skipped layers' MACs) /
 * compressed layers' dense MACs}, so the total stays within the limit.
 */
public final class NetworkSearch {
  private NetworkSearch() {}

  /** The plan over every factor shape of every layer. */
  public static CompressionPlan plan(List<LayerSpec> layers, NetworkTarget target) {
    return plan(layers, target, p -> true);
  }

  /** The plan over the factor shapes {@code allowed} accepts (see {@link LayerSearch}). */
  public static CompressionPlan plan(
      List<LayerSpec> layers, NetworkTarget target, Predicate<FactorPair> allowed) {
    checkNames(layers, target.skip());
    long denseParams = 0;
    long skippedParams = 0;
    long skippedMacs = 0;
    long compressedDenseMacs = 0;
    for (LayerSpec l : layers) {
      long p = ConvCost.denseParams(l.shape());
      long m = ConvCost.denseMacs(l.shape(), l.geometry());
      denseParams += p;
      if (target.skip().contains(l.name())) {
        skippedParams += p;
        skippedMacs += m;
      } else {
        compressedDenseMacs += m;
      }
    }
    long paramLimit = target.paramLimit(denseParams);
    double phi = macFraction(target.maxMacs(), skippedMacs, compressedDenseMacs);

    List<LayerSpec> compressed = new ArrayList<>();
    List<List<Candidate>> fronts = new ArrayList<>();
    for (LayerSpec l : layers) {
      if (!target.skip().contains(l.name())) {
        Budget b =
            Double.isInfinite(phi)
                ? Budget.unlimited()
                : Budget.macs((long) Math.floor(phi * ConvCost.denseMacs(l.shape(), l.geometry())));
        compressed.add(l);
        fronts.add(new LayerSearch(l, allowed).paretoFront(b));
      }
    }
    int[] state =
        allocate(compressed, fronts, paramLimit - skippedParams, paramLimit, skippedParams);

    List<LayerReport> reports = new ArrayList<>();
    int k = 0;
    for (LayerSpec l : layers) {
      Optional<Candidate> choice =
          target.skip().contains(l.name())
              ? Optional.empty()
              : Optional.of(fronts.get(k).get(state[k++]));
      reports.add(
          new LayerReport(
              l.name(),
              l.shape(),
              choice,
              ConvCost.denseParams(l.shape()),
              ConvCost.denseMacs(l.shape(), l.geometry())));
    }
    return new CompressionPlan(reports, paramLimit, target.maxMacs());
  }

  /** The greedy walk along the fronts; returns each layer's chosen front index. */
  private static int[] allocate(
      List<LayerSpec> layers,
      List<List<Candidate>> fronts,
      long budget,
      long paramLimit,
      long skippedParams) {
    int n = layers.size();
    int[] state = new int[n];
    long used = 0;
    for (List<Candidate> f : fronts) {
      used += f.getFirst().params();
    }
    if (used > budget) {
      throw new KronetException(
          "network target of "
              + paramLimit
              + " params is below the smallest achievable total of "
              + (used + skippedParams)
              + " params ("
              + skippedParams
              + " in skipped layers, "
              + used
              + " in the cheapest Kronecker configuration of every other layer)");
    }
    while (true) {
      int bestLayer = -1;
      int bestPoint = -1;
      double bestScore = 0;
      for (int l = 0; l < n; l++) {
        List<Candidate> f = fronts.get(l);
        Candidate cur = f.get(state[l]);
        double weight = layers.get(l).shape().numel();
        for (int j = state[l] + 1; j < f.size(); j++) {
          long extra = f.get(j).params() - cur.params();
          if (used + extra > budget) {
            break;
          }
          double score = weight * (cur.relativeError() - f.get(j).relativeError()) / extra;
          if (score > bestScore) {
            bestScore = score;
            bestLayer = l;
            bestPoint = j;
          }
        }
      }
      if (bestLayer < 0) {
        return state;
      }
      used +=
          fronts.get(bestLayer).get(bestPoint).params()
              - fronts.get(bestLayer).get(state[bestLayer]).params();
      state[bestLayer] = bestPoint;
    }
  }

  private static double macFraction(long maxMacs, long skippedMacs, long compressedDenseMacs) {
    if (maxMacs == Long.MAX_VALUE) {
      return Double.POSITIVE_INFINITY;
    }
    if (maxMacs <= skippedMacs) {
      throw new KronetException(
          "network MAC limit "
              + maxMacs
              + " leaves nothing for the compressed layers: the skipped layers alone need "
              + skippedMacs
              + " MACs");
    }
    return compressedDenseMacs == 0
        ? Double.POSITIVE_INFINITY
        : (double) (maxMacs - skippedMacs) / compressedDenseMacs;
  }

  private static void checkNames(List<LayerSpec> layers, Set<String> skip) {
    Set<String> names = new HashSet<>();
    for (LayerSpec l : layers) {
      if (!names.add(l.name())) {
        throw new KronetException("layer name '" + l.name() + "' appears more than once");
      }
    }
    for (String s : skip) {
      if (!names.contains(s)) {
        throw new KronetException(
            "layer '"
                + s
                + "' to skip is not among the layers "
                + names.stream().sorted().toList());
      }
    }
  }
}
