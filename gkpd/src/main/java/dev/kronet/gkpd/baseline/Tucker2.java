package dev.kronet.gkpd.baseline;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.SortedSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * Tucker-2 of a convolution weight by HOSVD on the two channel modes: U_f holds the leading left
 * singular vectors of the mode-F unfolding {@code F × (C·kh·kw)}, U_c those of the mode-C unfolding
 * {@code C × (F·kh·kw)}, and the core is {@code G = W ×_F U_fᵀ ×_C U_cᵀ}, so that {@code W ≈ G ×_F
 * U_f ×_C U_c}. HOSVD is not the optimal Tucker approximation, but it is the usual initialisation
 * (Kim et al. 2016) and quasi-optimal.
 *
 * <p>Because truncating U_f and U_c to (r_f, r_c) columns truncates the full core to its leading
 * {@code r_f × r_c} block, and the approximation is an orthogonal projection of W, the error of
 * every rank pair comes from one full core: {@code ||W − Ŵ||² = ||W||² − ||G[:r_f, :r_c]||²}.
 */
public final class Tucker2 {
  private final ConvShape shape;
  private final SortedSvd modeF;
  private final SortedSvd modeC;
  private final double[] fullCore;
  private final double norm;

  private Tucker2(
      ConvShape shape, SortedSvd modeF, SortedSvd modeC, double[] fullCore, double norm) {
    this.shape = shape;
    this.modeF = modeF;
    this.modeC = modeC;
    this.fullCore = fullCore;
    this.norm = norm;
  }

  /** The HOSVD of {@code w} {@code [F, C, kh, kw]} on its F and C modes. */
  public static Tucker2 decompose(DoubleTensor w) {
    ConvShape s = ConvShape.of(w.shape());
    double[] d = w.data();
    int k = s.kh() * s.kw();
    SortedSvd uf = SortedSvd.of(new DMatrixRMaj(s.f(), s.c() * k, true, d));
    double[] modeCData = new double[d.length];
    for (int f = 0; f < s.f(); f++) {
      for (int c = 0; c < s.c(); c++) {
        System.arraycopy(d, (f * s.c() + c) * k, modeCData, (c * s.f() + f) * k, k);
      }
    }
    SortedSvd uc = SortedSvd.of(new DMatrixRMaj(s.c(), s.f() * k, true, modeCData));
    double[] core = project(d, s, uf.u(), uf.size(), uc.u(), uc.size());
    return new Tucker2(s, uf, uc, core, w.frobeniusNorm());
  }

  /** C·r_c + r_f·r_c·kh·kw + F·r_f. */
  public static long params(ConvShape w, int rankC, int rankF) {
    return (long) w.c() * rankC + (long) rankF * rankC * w.kh() * w.kw() + (long) w.f() * rankF;
  }

  /**
   * 1×1 conv C→r_c at the input resolution (stride belongs to the core), kh×kw core and 1×1 conv
   * r_f→F at the output resolution: what {@code Tucker2Conv} runs. The first projection runs on the
   * unpadded input (the core pads; the padding is zeros either way).
   */
  public static long macs(ConvShape w, int rankC, int rankF, ConvSetting g) {
    long out = (long) g.outH(w.kh()) * g.outW(w.kw());
    long in = (long) g.inH() * g.inW();
    return (long) w.c() * rankC * in
        + ((long) rankF * rankC * w.kh() * w.kw() + (long) w.f() * rankF) * out;
  }

  /** The largest useful r_c: min(C, F·kh·kw). */
  public int maxRankC() {
    return modeC.size();
  }

  /** The largest useful r_f: min(F, C·kh·kw). */
  public int maxRankF() {
    return modeF.size();
  }

  public long params(int rankC, int rankF) {
    return params(shape, rankC, rankF);
  }

  /** ||W − Ŵ|| / ||W|| from the truncated core (see the class comment); 0 for W = 0. */
  public double relativeError(int rankC, int rankF) {
    checkRanks(rankC, rankF);
    int k = shape.kh() * shape.kw();
    double kept = 0;
    for (int p = 0; p < rankF; p++) {
      for (int q = 0; q < rankC; q++) {
        for (int t = 0; t < k; t++) {
          double g = fullCore[(p * maxRankC() + q) * k + t];
          kept += g * g;
        }
      }
    }
    return norm == 0 ? 0 : Math.sqrt(Math.max(0, norm * norm - kept)) / norm;
  }

  /**
   * The (r_c, r_f) of least error within {@code maxParams}, trying every pair; ties go to fewer
   * parameters. Returns {@code {r_c, r_f}}.
   */
  public int[] ranksForParams(long maxParams) {
    int[] best = null;
    double bestError = Double.POSITIVE_INFINITY;
    for (int rc = 1; rc <= maxRankC(); rc++) {
      for (int rf = 1; rf <= maxRankF(); rf++) {
        if (params(rc, rf) > maxParams) {
          continue;
        }
        double e = relativeError(rc, rf);
        if (e < bestError || (e == bestError && params(rc, rf) < params(best[0], best[1]))) {
          bestError = e;
          best = new int[] {rc, rf};
        }
      }
    }
    if (best == null) {
      throw new KronetException(
          "Tucker-2 of "
              + shape
              + ": a budget of "
              + maxParams
              + " params is below the smallest achievable "
              + params(1, 1)
              + " (r_c = r_f = 1)");
    }
    return best;
  }

  /** The three convolutions for ranks (r_c, r_f). */
  public Tucker2Factors factors(int rankC, int rankF) {
    checkRanks(rankC, rankF);
    int k = shape.kh() * shape.kw();
    double[] first = new double[rankC * shape.c()];
    for (int q = 0; q < rankC; q++) {
      for (int c = 0; c < shape.c(); c++) {
        first[q * shape.c() + c] = modeC.u().get(c, q);
      }
    }
    double[] core = new double[rankF * rankC * k];
    for (int p = 0; p < rankF; p++) {
      for (int q = 0; q < rankC; q++) {
        System.arraycopy(fullCore, (p * maxRankC() + q) * k, core, (p * rankC + q) * k, k);
      }
    }
    double[] last = new double[shape.f() * rankF];
    for (int f = 0; f < shape.f(); f++) {
      for (int p = 0; p < rankF; p++) {
        last[f * rankF + p] = modeF.u().get(f, p);
      }
    }
    return new Tucker2Factors(
        DoubleTensor.of(first, rankC, shape.c(), 1, 1),
        DoubleTensor.of(core, rankF, rankC, shape.kh(), shape.kw()),
        DoubleTensor.of(last, shape.f(), rankF, 1, 1));
  }

  /** Ŵ[f, c] = Σ_{p, q} last[f, p]·core[p, q]·first[q, c], per spatial position. */
  public DoubleTensor reconstruct(int rankC, int rankF) {
    Tucker2Factors t = factors(rankC, rankF);
    double[] first = t.first().data();
    double[] core = t.core().data();
    double[] last = t.last().data();
    int k = shape.kh() * shape.kw();
    double[] w = new double[(int) shape.numel()];
    for (int f = 0; f < shape.f(); f++) {
      for (int p = 0; p < rankF; p++) {
        double lf = last[f * rankF + p];
        for (int q = 0; q < rankC; q++) {
          for (int c = 0; c < shape.c(); c++) {
            double s = lf * first[q * shape.c() + c];
            for (int i = 0; i < k; i++) {
              w[(f * shape.c() + c) * k + i] += s * core[(p * rankC + q) * k + i];
            }
          }
        }
      }
    }
    return DoubleTensor.of(w, shape.toArray());
  }

  /** G[p, q, ·] = Σ_{f, c} U_f[f, p]·U_c[c, q]·W[f, c, ·]. */
  private static double[] project(
      double[] w, ConvShape s, DMatrixRMaj uf, int rf, DMatrixRMaj uc, int rc) {
    int k = s.kh() * s.kw();
    double[] half = new double[rf * s.c() * k];
    for (int p = 0; p < rf; p++) {
      for (int f = 0; f < s.f(); f++) {
        double u = uf.get(f, p);
        for (int ck = 0; ck < s.c() * k; ck++) {
          half[p * s.c() * k + ck] += u * w[f * s.c() * k + ck];
        }
      }
    }
    double[] core = new double[rf * rc * k];
    for (int p = 0; p < rf; p++) {
      for (int q = 0; q < rc; q++) {
        for (int c = 0; c < s.c(); c++) {
          double u = uc.get(c, q);
          for (int i = 0; i < k; i++) {
            core[(p * rc + q) * k + i] += u * half[(p * s.c() + c) * k + i];
          }
        }
      }
    }
    return core;
  }

  private void checkRanks(int rankC, int rankF) {
    if (rankC < 0 || rankC > maxRankC() || rankF < 0 || rankF > maxRankF()) {
      throw new KronetException(
          "Tucker-2 ranks (r_c, r_f) = ("
              + rankC
              + ", "
              + rankF
              + ") are outside [0, "
              + maxRankC()
              + "] × [0, "
              + maxRankF()
              + "] for "
              + shape);
    }
  }
}
