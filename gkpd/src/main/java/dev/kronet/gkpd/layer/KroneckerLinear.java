package dev.kronet.gkpd.layer;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Init;
import dev.kronet.engine.nn.Linear;
import dev.kronet.engine.nn.Module;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.algebra.Shape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.NearestKronecker;

/**
 * A fully connected layer whose {@code [out, in]} weight is {@code Σ_r A_r ⊗ B_r} (eq. 2–6), run by
 * {@link KroneckerAffine}. Parameters {@code A} {@code [R, M1, K1]}, {@code B} {@code [R, M2, K2]}
 * and an optional {@code bias} {@code [M1·M2]}; out = M1·M2, in = K1·K2.
 */
public final class KroneckerLinear extends Module {
  private final Tensor a;
  private final Tensor b;
  private final Tensor bias;

  /** Adopts {@code a}, {@code b} and {@code bias} (nullable) as the layer's parameters. */
  public KroneckerLinear(Tensor a, Tensor b, Tensor bias) {
    if (a.dim() != 3 || b.dim() != 3 || a.size(0) != b.size(0) || a.size(0) < 1) {
      throw new KronetException(
          "KroneckerLinear: factors must be A [R, M1, K1] and B [R, M2, K2] with the same R ≥ 1,"
              + " got A "
              + Shapes.format(a.shape())
              + " and B "
              + Shapes.format(b.shape()));
    }
    int out = a.size(1) * b.size(1);
    if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
      throw new KronetException(
          "KroneckerLinear: bias must have shape [M1·M2] = ["
              + out
              + "], got "
              + Shapes.format(bias.shape()));
    }
    this.a = registerParameter("A", a);
    this.b = registerParameter("B", b);
    this.bias = bias == null ? null : registerParameter("bias", bias);
  }

  /**
   * The nearest Kronecker approximation (Van Loan–Pitsianis, eq. 4–6) of {@code linear}'s weight
   * with {@code rank} terms of shapes {@code aShape2} {@code [M1, K1]} and {@code bShape2} {@code
   * [M2, K2]}; the bias is copied.
   */
  public static KroneckerLinear fromLinear(Linear linear, int[] aShape2, int[] bShape2, int rank) {
    if (aShape2.length != 2 || bShape2.length != 2) {
      throw new KronetException(
          "KroneckerLinear.fromLinear: factor shapes must be [M1, K1] and [M2, K2], got "
              + Shapes.format(aShape2)
              + " and "
              + Shapes.format(bShape2));
    }
    KroneckerDecomposition d =
        NearestKronecker.decompose(Weights.toDouble(linear.weight()), aShape2, bShape2);
    if (rank < 1 || rank > d.kroneckerRank()) {
      throw new KronetException(
          "KroneckerLinear.fromLinear: rank R̂ = "
              + rank
              + " is outside [1, "
              + d.kroneckerRank()
              + "] for "
              + d.layout());
    }
    return new KroneckerLinear(
        Tensor.wrap(d.factorsAFloat(rank), d.factorsAShape(rank)),
        Tensor.wrap(d.factorsBFloat(rank), d.factorsBShape(rank)),
        Weights.copyOf(linear.bias()));
  }

  /**
   * Random factors with the variance of PyTorch's default {@code Linear} weight, by the argument of
   * {@link KroneckerConv2d#random} with fan_in = K1·K2: N(0, σ²) entries, σ = (3·R·fan_in)^(−1/4).
   */
  public static KroneckerLinear random(
      int[] aShape2, int[] bShape2, int rank, boolean bias, Rng rng) {
    if (aShape2.length != 2 || bShape2.length != 2 || rank < 1) {
      throw new KronetException(
          "KroneckerLinear.random: need factor shapes [M1, K1], [M2, K2] and R̂ ≥ 1, got "
              + Shapes.format(aShape2)
              + ", "
              + Shapes.format(bShape2)
              + ", R̂ = "
              + rank);
    }
    long fanIn = (long) aShape2[1] * bShape2[1];
    double std = KroneckerConv2d.randomFactorStd(rank, fanIn);
    Tensor a = Init.normal(Tensor.zeros(Shape.prepend(rank, aShape2)), 0, std, rng);
    Tensor b = Init.normal(Tensor.zeros(Shape.prepend(rank, bShape2)), 0, std, rng);
    Tensor bi = null;
    if (bias) {
      double bound = 1 / Math.sqrt(fanIn);
      bi = Init.uniform(Tensor.zeros(aShape2[0] * bShape2[0]), -bound, bound, rng);
    }
    return new KroneckerLinear(a, b, bi);
  }

  @Override
  public Tensor forward(Tensor x) {
    return KroneckerAffine.linear(x, a, b, bias);
  }

  /** Σ_r A_r ⊗ B_r in double, {@code [M1·M2, K1·K2]}. */
  public DoubleTensor denseWeight() {
    KroneckerLayout layout =
        KroneckerLayout.of(new int[] {a.size(1), a.size(2)}, new int[] {b.size(1), b.size(2)});
    return Kronecker.kronSum(
        layout, Weights.toDouble(a).data(), Weights.toDouble(b).data(), a.size(0));
  }

  /** An equivalent {@link Linear} with the rebuilt weight (rounded to float) and the bias. */
  public Linear toDense() {
    DoubleTensor w = denseWeight();
    Linear dense = new Linear(w.dim(1), w.dim(0), bias != null, new Rng(0));
    Weights.copyInto(dense.weight(), w.toFloatArray(), "linear weight");
    if (bias != null) {
      Weights.copyInto(dense.bias(), bias.contiguousData(), "linear bias");
    }
    return dense;
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

  public int rank() {
    return a.size(0);
  }

  @Override
  protected String extraRepr() {
    return "in_features="
        + a.size(2) * b.size(2)
        + ", out_features="
        + a.size(1) * b.size(1)
        + ", R="
        + rank()
        + ", bias="
        + (bias != null);
  }
}
