package dev.kronet.gkpd.layer;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Init;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.algebra.Shape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.NearestKronecker;
import dev.kronet.gkpd.search.Candidate;
import java.util.Arrays;

/**
 * A convolution whose weight is a sum of R Kronecker products, {@code W = Σ_r A_r ⊗ B_r} (eq. 9),
 * run by {@link KroneckerConvolution} (Algorithm 1) without forming W. Parameters: {@code A} {@code
 * [R, F1, C1, kh1, kw1]}, {@code B} {@code [R, F2, C2, kh2, kw2]} and an optional {@code bias}
 * {@code [F1·F2]}; the weight it stands for is {@code [F1·F2, C1·C2, kh1·kh2, kw1·kw2]}.
 *
 * <p>Built by {@link #fromConv} (GKPD initialisation from a trained convolution, eq. 11–12) or
 * {@link #random} (the random-initialisation setting of Table 5); {@link #toDense} turns it back
 * into a {@link Conv2d} with the rebuilt weight.
 */
public final class KroneckerConv2d extends Module {
  private final ConvSpec spec;
  private final Tensor a;
  private final Tensor b;
  private final Tensor bias;

  /** Adopts {@code a}, {@code b} and {@code bias} (nullable) as the layer's parameters. */
  public KroneckerConv2d(Tensor a, Tensor b, Tensor bias, ConvSpec spec) {
    if (a.dim() != 5 || b.dim() != 5 || a.size(0) != b.size(0) || a.size(0) < 1) {
      throw new KronetException(
          "KroneckerConv2d: factors must be A [R, F1, C1, kh1, kw1] and B [R, F2, C2, kh2, kw2]"
              + " with the same R ≥ 1, got A "
              + Shapes.format(a.shape())
              + " and B "
              + Shapes.format(b.shape()));
    }
    if (spec.groups() != 1) {
      throw new KronetException(
          "KroneckerConv2d: spec must have groups=1 (a sum of Kronecker products is not a grouped"
              + " weight), got "
              + spec);
    }
    int f = a.size(1) * b.size(1);
    if (bias != null && (bias.dim() != 1 || bias.size(0) != f)) {
      throw new KronetException(
          "KroneckerConv2d: bias must have shape [F1·F2] = ["
              + f
              + "], got "
              + Shapes.format(bias.shape()));
    }
    this.spec = spec;
    this.a = registerParameter("A", a);
    this.b = registerParameter("B", b);
    this.bias = bias == null ? null : registerParameter("bias", bias);
  }

  /**
   * The GKPD of {@code conv}'s weight with {@code rank} terms of factors {@code aShape4} {@code
   * [F1, C1, kh1, kw1]} and {@code bShape4} {@code [F2, C2, kh2, kw2]}: the nearest-Kronecker
   * solution of (11), computed in double and stored as float32. The bias and spec are copied.
   */
  public static KroneckerConv2d fromConv(Conv2d conv, int[] aShape4, int[] bShape4, int rank) {
    Weights.requireUngrouped("KroneckerConv2d.fromConv", conv);
    KroneckerDecomposition d = decompose(conv, aShape4, bShape4);
    if (rank < 1 || rank > d.kroneckerRank()) {
      throw new KronetException(
          "KroneckerConv2d.fromConv: rank R̂ = "
              + rank
              + " is outside [1, "
              + d.kroneckerRank()
              + "] for "
              + d.layout());
    }
    return new KroneckerConv2d(
        Tensor.wrap(d.factorsAFloat(rank), d.factorsAShape(rank)),
        Tensor.wrap(d.factorsBFloat(rank), d.factorsBShape(rank)),
        Weights.copyOf(conv.bias()),
        conv.spec());
  }

  /** {@link #fromConv(Conv2d, int[], int[], int)} with a configuration picked by the search. */
  public static KroneckerConv2d fromConv(Conv2d conv, Candidate candidate) {
    return fromConv(conv, candidate.a().toArray(), candidate.b().toArray(), candidate.rank());
  }

  /** The decomposition {@link #fromConv} truncates, for its error report. */
  public static KroneckerDecomposition decompose(Conv2d conv, int[] aShape4, int[] bShape4) {
    Weights.requireUngrouped("KroneckerConv2d", conv);
    requireFourD(aShape4, bShape4);
    return NearestKronecker.decompose(Weights.toDouble(conv.weight()), aShape4, bShape4);
  }

  /**
   * Randomly initialised factors, for training a Kronecker network from scratch (Table 5).
   *
   * <p>Scale. Every entry of W is a sum of R products {@code W = Σ_r a_r·b_r} of one A entry and
   * one B entry, all independent with mean 0, so {@code Var(W) = R·Var(a)·Var(b)}. PyTorch's
   * default {@code Conv2d} weight is U[−β, β] with β = 1/√fan_in, fan_in = C·kh·kw, hence {@code
   * Var = β²/3 = 1/(3·fan_in)}. Giving both factors the same variance σ² (so neither factor's
   * gradient dominates the other's at the start) requires {@code R·σ⁴ = 1/(3·fan_in)}, i.e. {@code
   * σ = (3·R·fan_in)^(−1/4)}; A and B are drawn from N(0, σ²). W is then not Gaussian (a sum of
   * products of Gaussians), but it has the dense layer's mean and variance, which is what the
   * signal scale through the network depends on. The bias, when present, is PyTorch's: U[−β, β].
   *
   * @param aShape4 {@code [F1, C1, kh1, kw1]}
   * @param bShape4 {@code [F2, C2, kh2, kw2]}; F1·F2 must be {@code out}, C1·C2 {@code in}
   */
  public static KroneckerConv2d random(
      int in,
      int out,
      int[] aShape4,
      int[] bShape4,
      int rank,
      ConvSpec spec,
      boolean bias,
      Rng rng) {
    requireFourD(aShape4, bShape4);
    if (aShape4[0] * bShape4[0] != out || aShape4[1] * bShape4[1] != in || rank < 1) {
      throw new KronetException(
          "KroneckerConv2d.random: factors "
              + Shapes.format(aShape4)
              + " ⊗ "
              + Shapes.format(bShape4)
              + " with R̂ = "
              + rank
              + " must give "
              + out
              + " filters (F1·F2) and "
              + in
              + " input channels (C1·C2) with R̂ ≥ 1");
    }
    long fanIn = (long) in * aShape4[2] * bShape4[2] * aShape4[3] * bShape4[3];
    double std = randomFactorStd(rank, fanIn);
    Tensor a = Tensor.zeros(Shape.prepend(rank, aShape4));
    Tensor b = Tensor.zeros(Shape.prepend(rank, bShape4));
    Init.normal(a, 0, std, rng);
    Init.normal(b, 0, std, rng);
    Tensor bi = null;
    if (bias) {
      double bound = 1 / Math.sqrt(fanIn);
      bi = Init.uniform(Tensor.zeros(out), -bound, bound, rng);
    }
    return new KroneckerConv2d(a, b, bi, spec);
  }

  /** σ = (3·R·fan_in)^(−1/4), the factor std of {@link #random} (derived there). */
  public static double randomFactorStd(int rank, long fanIn) {
    return Math.pow(3.0 * rank * fanIn, -0.25);
  }

  @Override
  public Tensor forward(Tensor x) {
    return KroneckerConvolution.conv2d(x, a, b, bias, spec);
  }

  /** W = Σ_r A_r ⊗ B_r in double, {@code [F, C, kh, kw]}. */
  public DoubleTensor denseWeight() {
    KroneckerLayout layout = KroneckerLayout.of(aShape(), bShape());
    return Kronecker.kronSum(
        layout, Weights.toDouble(a).data(), Weights.toDouble(b).data(), rank());
  }

  /** An equivalent {@link Conv2d}: same spec, the rebuilt weight (rounded to float), the bias. */
  public Conv2d toDense() {
    return Weights.conv(denseWeight(), bias, spec);
  }

  /**
   * Forward multiply-adds for {@code n} images of {@code h×w}; see {@link
   * KroneckerConvolution#macs}.
   */
  public long macs(int n, int h, int w) {
    return KroneckerConvolution.macs(n, h, w, aShape(), bShape(), rank(), spec);
  }

  public Tensor a() {
    return a;
  }

  public Tensor b() {
    return b;
  }

  /** The bias, or {@code null}. */
  public Tensor bias() {
    return bias;
  }

  public ConvSpec spec() {
    return spec;
  }

  /** R̂, the number of Kronecker terms. */
  public int rank() {
    return a.size(0);
  }

  /** {@code [F1, C1, kh1, kw1]}. */
  public int[] aShape() {
    return Arrays.copyOfRange(a.shape(), 1, 5);
  }

  /** {@code [F2, C2, kh2, kw2]}. */
  public int[] bShape() {
    return Arrays.copyOfRange(b.shape(), 1, 5);
  }

  @Override
  protected String extraRepr() {
    return Shapes.format(aShape())
        + " ⊗ "
        + Shapes.format(bShape())
        + ", R="
        + rank()
        + ", "
        + spec
        + (bias == null ? ", bias=False" : "");
  }

  private static void requireFourD(int[] aShape4, int[] bShape4) {
    if (aShape4.length != 4 || bShape4.length != 4) {
      throw new KronetException(
          "KroneckerConv2d: factor shapes must be [F1, C1, kh1, kw1] and [F2, C2, kh2, kw2], got "
              + Shapes.format(aShape4)
              + " and "
              + Shapes.format(bShape4));
    }
  }
}
