package dev.kronet.gkpd.cost;

import dev.kronet.engine.KronetException;
import dev.kronet.gkpd.layer.KroneckerConvolution;

/**
 * Parameters and multiply-adds (MACs) of a dense convolution and of a KroneckerConvolution with R̂
 * terms A_r {@code [F1, C1, kh1, kw1]} ⊗ B_r {@code [F2, C2, kh2, kw2]}, per input image.
 *
 * <p>Two Kronecker MAC counts are given. {@link #kroneckerMacsPerPixel} is the denominator of the
 * paper's eq. (17): per output pixel, the B stage costs {@code C1·|B|} and the A stage {@code
 * F2·|A|}, i.e. both stages are charged at the output resolution H'×W'. {@link #kroneckerMacs}
 * counts what Algorithm 1 actually runs (as in the reference {@code kron_conv}): the B stage is a
 * stride-1 convolution of the padded input, producing {@code H1 = H + 2p − kh2 + 1} by {@code W1 =
 * W + 2p − kw2 + 1} positions (padding p on each side, dilation 1; any padding and dilation are
 * counted as {@link KroneckerConvolution#macs} states), and the A stage is a dilated (by kh2, kw2),
 * strided convolution of that producing H'×W'. The two agree when H1 = H', i.e. for 1×1 A factors
 * at stride 1; with a larger A kernel the B stage also covers the border rows the A kernel reaches,
 * and with stride s it runs at about s² times the output resolution, which eq. (17) does not show.
 * A 1×1 B commutes with the zero padding and runs on the unpadded input (H1×W1 = H×W), unlike the
 * reference. With a 1×1 A the stages commute, and where A first is cheaper (it can be cheaper than
 * eq. 17 too) that is the order run and counted.
 */
public final class ConvCost {
  private ConvCost() {}

  /** F·C·kh·kw weights. */
  public static long denseParams(ConvShape w) {
    return w.numel();
  }

  /** F·C·kh·kw MACs at each of the H'×W' output positions. */
  public static long denseMacs(ConvShape w, ConvSetting g) {
    return w.numel() * g.outH(w.kh()) * g.outW(w.kw());
  }

  /** R̂·(|A| + |B|) weights, the denominator of eq. (16). */
  public static long kroneckerParams(ConvShape a, ConvShape b, int rank) {
    checkRank(rank);
    return rank * (a.numel() + b.numel());
  }

  /** R̂·(F2·|A| + C1·|B|), the denominator of eq. (17): MACs per output pixel. */
  public static long kroneckerMacsPerPixel(ConvShape a, ConvShape b, int rank) {
    checkRank(rank);
    return rank * ((long) b.f() * a.numel() + (long) a.c() * b.numel());
  }

  /**
   * {@link #kroneckerMacsPerPixel} times the H'×W' output positions: the count eq. (17) implies.
   */
  public static long kroneckerMacsPaper(ConvShape a, ConvShape b, int rank, ConvSetting g) {
    ConvShape w = a.times(b);
    return kroneckerMacsPerPixel(a, b, rank) * g.outH(w.kh()) * g.outW(w.kw());
  }

  /**
   * The MACs Algorithm 1 runs for one image, counted by the layer that runs it ({@link
   * KroneckerConvolution#macs}): {@code R̂·(C1·|B|·H1·W1 + F2·|A|·H'·W')}, with the B stage at the
   * stride-1 resolution H1×W1 of the padded input (H×W for a 1×1 B, which runs before the padding)
   * and the A stage at the output resolution; or, when A is 1×1 and it is cheaper, with the stages
   * swapped ({@code R̂·(C2·|A|·H·W + F1·|B|·H'·W')}, A on the unpadded input). Any strides,
   * per-side padding and dilation.
   */
  public static long kroneckerMacs(ConvShape a, ConvShape b, int rank, ConvSetting g) {
    checkRank(rank);
    ConvShape w = a.times(b);
    g.outH(w.kh()); // the kernel must fit: a clear error rather than a negative count
    g.outW(w.kw());
    return KroneckerConvolution.macs(1, g.inH(), g.inW(), a.toArray(), b.toArray(), rank, g.spec());
  }

  /** Eq. (16): dense parameters over Kronecker parameters. */
  public static double memoryReduction(ConvShape a, ConvShape b, int rank) {
    return (double) denseParams(a.times(b)) / kroneckerParams(a, b, rank);
  }

  /** Eq. (17): dense MACs over Kronecker MACs, both per output pixel. */
  public static double flopReduction(ConvShape a, ConvShape b, int rank) {
    return (double) denseParams(a.times(b)) / kroneckerMacsPerPixel(a, b, rank);
  }

  private static void checkRank(int rank) {
    if (rank < 1) {
      throw new KronetException("number of Kronecker terms R̂ must be ≥ 1, got " + rank);
    }
  }
}
