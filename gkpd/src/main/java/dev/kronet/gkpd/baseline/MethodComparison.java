package dev.kronet.gkpd.baseline;

import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.search.Budget;
import dev.kronet.gkpd.search.Candidate;
import dev.kronet.gkpd.search.LayerSearch;
import dev.kronet.gkpd.search.LayerSpec;

/**
 * The comparison of Figure 1: at one parameter budget ({@code |W| / ratio}), the relative
 * reconstruction errors of the truncated SVD, Tucker-2 (HOSVD), the best single Kronecker product
 * (GKPD-1) and the best GKPD with any number of terms.
 *
 * @param paramLimit ⌊|W| / ratio⌋
 * @param svdRank the largest SVD rank within the limit
 * @param svdError its relative error
 * @param tuckerRankC r_c of the least-error Tucker-2 within the limit
 * @param tuckerRankF its r_f
 * @param tuckerError its relative error
 * @param gkpd1 the least-error configuration with R̂ = 1
 * @param gkpdBest the least-error configuration with any R̂
 */
public record MethodComparison(
    long paramLimit,
    int svdRank,
    double svdError,
    int tuckerRankC,
    int tuckerRankF,
    double tuckerError,
    Candidate gkpd1,
    Candidate gkpdBest) {

  /**
   * Compares the four methods on {@code w} {@code [F, C, kh, kw]} at {@code ratio}× compression.
   */
  public static MethodComparison at(DoubleTensor w, ConvSetting g, double ratio) {
    LayerSpec layer = new LayerSpec("W", w, g);
    Budget budget = Budget.compression(w.numel(), ratio);
    long limit = budget.maxParams();
    TruncatedSvd svd = TruncatedSvd.decompose(w);
    int r = svd.rankForParams(limit);
    Tucker2 tucker = Tucker2.decompose(w);
    int[] t = tucker.ranksForParams(limit);
    LayerSearch search = new LayerSearch(layer);
    return new MethodComparison(
        limit,
        r,
        svd.relativeError(r),
        t[0],
        t[1],
        tucker.relativeError(t[0], t[1]),
        search.best(budget, 1),
        search.best(budget));
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "params ≤ %d: SVD r=%d %.4f | Tucker-2 (%d, %d) %.4f | GKPD-1 %s ⊗ %s %.4f | GKPD-%d %s ⊗ %s %.4f",
        paramLimit,
        svdRank,
        svdError,
        tuckerRankC,
        tuckerRankF,
        tuckerError,
        gkpd1.a(),
        gkpd1.b(),
        gkpd1.relativeError(),
        gkpdBest.rank(),
        gkpdBest.a(),
        gkpdBest.b(),
        gkpdBest.relativeError());
  }
}
