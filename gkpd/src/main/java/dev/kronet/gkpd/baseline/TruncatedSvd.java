package dev.kronet.gkpd.baseline;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.SortedSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * Truncated SVD of a convolution weight's {@code F × (C·kh·kw)} unfolding, {@code W ≈ Σ_{i<r} σ_i
 * u_i v_iᵀ} (Denton et al. 2014): a kh×kw convolution C→r with filters {@code √σ_i·v_i} followed by
 * a 1×1 convolution r→F with weights {@code √σ_i·u_i}. It is the GKPD with A of shape {@code [F, 1,
 * 1, 1]} and B {@code [1, C, kh, kw]}, for which R_w(W) is exactly this unfolding.
 */
public final class TruncatedSvd {
  private final ConvShape shape;
  private final SortedSvd svd;
  private final double norm;

  private TruncatedSvd(ConvShape shape, SortedSvd svd, double norm) {
    this.shape = shape;
    this.svd = svd;
    this.norm = norm;
  }

  /** The SVD of the unfolding of {@code w} {@code [F, C, kh, kw]}. */
  public static TruncatedSvd decompose(DoubleTensor w) {
    ConvShape s = ConvShape.of(w.shape());
    int cols = s.c() * s.kh() * s.kw();
    return new TruncatedSvd(
        s, SortedSvd.of(new DMatrixRMaj(s.f(), cols, true, w.data())), w.frobeniusNorm());
  }

  /** r·(C·kh·kw + F). */
  public static long params(ConvShape w, int rank) {
    return (long) rank * ((long) w.c() * w.kh() * w.kw() + w.f());
  }

  /** kh×kw conv C→r at the output resolution plus 1×1 conv r→F: r·(C·kh·kw + F)·H'·W'. */
  public static long macs(ConvShape w, int rank, ConvSetting g) {
    return params(w, rank) * g.outH(w.kh()) * g.outW(w.kw());
  }

  /** min(F, C·kh·kw): the rank that reconstructs W exactly. */
  public int maxRank() {
    return svd.size();
  }

  public double[] singularValues() {
    return svd.sigma().clone();
  }

  public long params(int rank) {
    return params(shape, rank);
  }

  /** sqrt(Σ_{i ≥ r} σ_i²) / ||W|| (Eckart–Young); 0 for W = 0. */
  public double relativeError(int rank) {
    checkRank(rank);
    return norm == 0 ? 0 : svd.tailNorm(rank) / norm;
  }

  /** The largest rank within {@code maxParams}, capped at {@link #maxRank()}. */
  public int rankForParams(long maxParams) {
    long r = Math.min(maxRank(), maxParams / params(1));
    if (r < 1) {
      throw new KronetException(
          "truncated SVD of "
              + shape
              + ": a budget of "
              + maxParams
              + " params is below the smallest achievable "
              + params(1)
              + " (rank 1)");
    }
    return (int) r;
  }

  /** The first convolution {@code [r, C, kh, kw]}: row i is √σ_i·v_iᵀ. */
  public DoubleTensor firstConv(int rank) {
    checkRank(rank);
    int cols = svd.v().numRows;
    double[] out = new double[rank * cols];
    for (int i = 0; i < rank; i++) {
      double s = Math.sqrt(svd.sigma()[i]);
      for (int k = 0; k < cols; k++) {
        out[i * cols + k] = s * svd.v().get(k, i);
      }
    }
    return DoubleTensor.of(out, rank, shape.c(), shape.kh(), shape.kw());
  }

  /** The second convolution {@code [F, r, 1, 1]}: column i is √σ_i·u_i. */
  public DoubleTensor secondConv(int rank) {
    checkRank(rank);
    double[] out = new double[shape.f() * rank];
    for (int f = 0; f < shape.f(); f++) {
      for (int i = 0; i < rank; i++) {
        out[f * rank + i] = Math.sqrt(svd.sigma()[i]) * svd.u().get(f, i);
      }
    }
    return DoubleTensor.of(out, shape.f(), rank, 1, 1);
  }

  /** The weight the two convolutions compose to: secondConv · firstConv over r. */
  public DoubleTensor reconstruct(int rank) {
    double[] first = firstConv(rank).data();
    double[] second = secondConv(rank).data();
    int cols = shape.c() * shape.kh() * shape.kw();
    double[] w = new double[shape.f() * cols];
    for (int f = 0; f < shape.f(); f++) {
      for (int i = 0; i < rank; i++) {
        double s = second[f * rank + i];
        for (int k = 0; k < cols; k++) {
          w[f * cols + k] += s * first[i * cols + k];
        }
      }
    }
    return DoubleTensor.of(w, shape.toArray());
  }

  private void checkRank(int rank) {
    if (rank < 0 || rank > maxRank()) {
      throw new KronetException(
          "truncated SVD rank " + rank + " is outside [0, " + maxRank() + "] for " + shape);
    }
  }
}
