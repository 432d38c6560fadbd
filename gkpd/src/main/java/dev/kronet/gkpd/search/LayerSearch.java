package dev.kronet.gkpd.search;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.KroneckerSpectrum;
import dev.kronet.gkpd.decompose.NearestKronecker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The configuration search of one layer. The paper picks, among the configurations that satisfy a
 * FLOPs reduction, the one whose GKPD best reconstructs the pretrained weight; here the limits are
 * a {@link Budget} on parameters and/or MACs. Parameters and MACs grow linearly with R̂ and the
 * optimal error falls with it, so for each factor shape the feasible R̂ form a range {@code 1 …
 * R̂_max}, and the singular values of R_w(W) (one SVD per shape, values only, computed in parallel
 * over shapes and cached) price them all; the factors are computed only for the configuration a
 * caller asks for ({@link #decomposition}).
 *
 * <p>Ties in error are broken by fewer parameters, then fewer MACs, then enumeration order, so the
 * choice is deterministic. An instance caches spectra and decompositions and is not thread-safe;
 * the spectra themselves are computed on the shared pool, each shape independently, so results do
 * not depend on the thread count.
 */
public final class LayerSearch {
  /** Least error first; then the cheaper configuration. */
  public static final Comparator<Candidate> BY_ERROR_THEN_SIZE =
      Comparator.comparingDouble(Candidate::relativeError)
          .thenComparingLong(Candidate::params)
          .thenComparingLong(Candidate::macs);

  private final LayerSpec layer;
  private final List<FactorPair> pairs;
  private final KroneckerSpectrum[] spectra;
  private final Map<FactorPair, KroneckerDecomposition> decompositions = new HashMap<>();

  /** A search over every factor shape of the layer. */
  public LayerSearch(LayerSpec layer) {
    this(layer, p -> true);
  }

  /**
   * A search over the factor shapes {@code allowed} accepts, e.g. to keep the search affordable on
   * wide layers: every shape costs one SVD of a matrix of up to about {@code √|W| × √|W|} (a
   * values-only 1536×1536 SVD took about 9 s with EJML on the 2-vCPU development machine), and a
   * 512×512×3×3 weight has 400 shapes.
   */
  public LayerSearch(LayerSpec layer, Predicate<FactorPair> allowed) {
    this.layer = layer;
    this.pairs = FactorShapes.enumerate(layer.shape()).stream().filter(allowed).toList();
    if (pairs.isEmpty()) {
      throw new KronetException(
          "layer '"
              + layer.name()
              + "' "
              + layer.shape()
              + ": the factor-shape filter rejects every split");
    }
    this.spectra = new KroneckerSpectrum[pairs.size()];
  }

  public LayerSpec layer() {
    return layer;
  }

  public List<FactorPair> factorPairs() {
    return pairs;
  }

  /** The GKPD of the layer's weight for {@code pair} (computed once, then cached). */
  public KroneckerDecomposition decomposition(FactorPair pair) {
    return decompositions.computeIfAbsent(
        pair, p -> NearestKronecker.decompose(layer.weight(), p.layout()));
  }

  /** The singular values of R_w(W) for {@code pair} (computed once, then cached). */
  public KroneckerSpectrum spectrum(FactorPair pair) {
    int i = pairs.indexOf(pair);
    if (i < 0) {
      throw new KronetException(
          "factor pair " + pair + " does not split layer '" + layer.name() + "' " + layer.shape());
    }
    computeSpectra(new int[] {i});
    return spectra[i];
  }

  /** Every (factor shape, R̂ ≥ 1) within the budget, in enumeration order then rank. */
  public List<Candidate> candidates(Budget budget) {
    return candidates(budget, Integer.MAX_VALUE);
  }

  /** Every (factor shape, 1 ≤ R̂ ≤ maxRank) within the budget. */
  public List<Candidate> candidates(Budget budget, int maxRank) {
    int[] tops = feasibleRanks(budget, maxRank);
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      for (int r = 1; r <= tops[i]; r++) {
        out.add(candidate(pairs.get(i), r, spectra[i].relativeError(r)));
      }
    }
    return out;
  }

  /** The least-error configuration within the budget, any R̂. */
  public Candidate best(Budget budget) {
    return best(budget, Integer.MAX_VALUE);
  }

  /**
   * The least-error configuration within the budget with at most {@code maxRank} terms ({@code
   * maxRank = 1} gives the paper's "GKPD-1").
   *
   * @throws KronetException when no configuration fits, naming the smallest achievable sizes
   */
  public Candidate best(Budget budget, int maxRank) {
    // The error is non-increasing in R̂; a smaller R̂ only wins a tie, so all are compared.
    Candidate best = null;
    for (Candidate c : candidates(budget, maxRank)) {
      if (best == null || BY_ERROR_THEN_SIZE.compare(c, best) < 0) {
        best = c;
      }
    }
    if (best == null) {
      throw infeasible(budget, maxRank);
    }
    return best;
  }

  /**
   * The least-error configuration within the budget with exactly {@code rank} terms: the factor
   * shape is still searched, R̂ is fixed (the paper's Table 6 varies R̂ at constant parameters).
   *
   * @throws KronetException when no factor shape fits {@code rank} terms in the budget, naming the
   *     largest R̂ that does fit
   */
  public Candidate bestOfRank(Budget budget, int rank) {
    if (rank < 1) {
      throw new KronetException("R̂ must be at least 1, got " + rank);
    }
    Candidate best = null;
    int largest = 0;
    for (Candidate c : candidates(budget, Integer.MAX_VALUE)) {
      largest = Math.max(largest, c.rank());
      if (c.rank() == rank && (best == null || BY_ERROR_THEN_SIZE.compare(c, best) < 0)) {
        best = c;
      }
    }
    if (best == null) {
      if (largest == 0) {
        throw infeasible(budget, Integer.MAX_VALUE);
      }
      throw new KronetException(
          "layer '"
              + layer.name()
              + "' ("
              + layer.shape()
              + "): no factor shape fits R̂ = "
              + rank
              + " terms in the budget "
              + budget
              + "; the largest R̂ that fits is "
              + largest);
    }
    return best;
  }

  /**
   * The error-versus-parameters Pareto front within the budget: parameters strictly increasing,
   * error strictly decreasing; every feasible configuration is matched or beaten by a front point
   * with no more parameters.
   */
  public List<Candidate> paretoFront(Budget budget) {
    List<Candidate> all = candidates(budget);
    all.sort(
        Comparator.comparingLong(Candidate::params)
            .thenComparingDouble(Candidate::relativeError)
            .thenComparingLong(Candidate::macs));
    List<Candidate> front = new ArrayList<>();
    for (Candidate c : all) {
      // Sorted by parameters then error, so the first of equal-parameter points is the best.
      if (front.isEmpty() || c.relativeError() < front.getLast().relativeError()) {
        front.add(c);
      }
    }
    if (front.isEmpty()) {
      throw infeasible(budget, Integer.MAX_VALUE);
    }
    return front;
  }

  /** The cheapest R̂ = 1 configuration by parameters (no SVD needed). */
  public Candidate smallestByParams() {
    return pairs.stream()
        .map(p -> candidate(p, 1, Double.NaN))
        .min(Comparator.comparingLong(Candidate::params).thenComparingLong(Candidate::macs))
        .orElseThrow();
  }

  /** The cheapest R̂ = 1 configuration by MACs (no SVD needed). */
  public Candidate smallestByMacs() {
    return pairs.stream()
        .map(p -> candidate(p, 1, Double.NaN))
        .min(Comparator.comparingLong(Candidate::macs).thenComparingLong(Candidate::params))
        .orElseThrow();
  }

  private Candidate candidate(FactorPair p, int rank, double error) {
    return new Candidate(
        p,
        rank,
        ConvCost.kroneckerParams(p.a(), p.b(), rank),
        ConvCost.kroneckerMacs(p.a(), p.b(), rank, layer.geometry()),
        error);
  }

  /** R̂_max per pair (0 when even R̂ = 1 does not fit); computes the spectra those pairs need. */
  private int[] feasibleRanks(Budget budget, int maxRank) {
    int[] tops = new int[pairs.size()];
    int[] needed = new int[pairs.size()];
    int n = 0;
    for (int i = 0; i < pairs.size(); i++) {
      tops[i] = maxFeasibleRank(pairs.get(i), budget, maxRank);
      if (tops[i] >= 1) {
        needed[n++] = i;
      }
    }
    computeSpectra(java.util.Arrays.copyOf(needed, n));
    return tops;
  }

  /** Fills the missing spectra of the given pair indices, one SVD per pair, in parallel. */
  private void computeSpectra(int[] indices) {
    int[] missing = java.util.Arrays.stream(indices).filter(i -> spectra[i] == null).toArray();
    Parallel.forRange(
        missing.length,
        1,
        (from, to) -> {
          for (int k = from; k < to; k++) {
            int i = missing[k];
            spectra[i] = NearestKronecker.spectrum(layer.weight(), pairs.get(i).layout());
          }
        });
  }

  private int maxFeasibleRank(FactorPair p, Budget budget, int maxRank) {
    long top = Math.min(p.kroneckerRank(), maxRank);
    top = Math.min(top, budget.maxParams() / ConvCost.kroneckerParams(p.a(), p.b(), 1));
    top =
        Math.min(top, budget.maxMacs() / ConvCost.kroneckerMacs(p.a(), p.b(), 1, layer.geometry()));
    return (int) top;
  }

  private KronetException infeasible(Budget budget, int maxRank) {
    ConvShape w = layer.shape();
    Candidate byParams = smallestByParams();
    Candidate byMacs = smallestByMacs();
    return new KronetException(
        "layer '"
            + layer.name()
            + "' ("
            + w
            + "): no Kronecker configuration"
            + (maxRank < Integer.MAX_VALUE ? " with R̂ ≤ " + maxRank : "")
            + " meets the budget "
            + budget
            + "; the smallest achievable is "
            + byParams.params()
            + " params ("
            + byParams.pair()
            + ", R̂ = 1) and "
            + byMacs.macs()
            + " MACs ("
            + byMacs.pair()
            + ", R̂ = 1)");
  }
}
