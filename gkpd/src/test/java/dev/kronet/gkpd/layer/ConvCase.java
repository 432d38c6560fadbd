package dev.kronet.gkpd.layer;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.testing.Gen;
import java.util.List;

/**
 * One KroneckerConvolution configuration for the property tests: factor shapes {@code a} {@code
 * [F1, C1, kh1, kw1]} and {@code b} {@code [F2, C2, kh2, kw2]}, R terms, the spec, a batch of
 * {@code n} inputs of {@code h×w}, whether there is a bias, and the seed of the tensors.
 */
record ConvCase(
    int[] a, int[] b, int rank, ConvSpec spec, int n, int h, int w, boolean bias, long seed) {

  int inChannels() {
    return a[1] * b[1];
  }

  int outChannels() {
    return a[0] * b[0];
  }

  int kh() {
    return a[2] * b[2];
  }

  int kw() {
    return a[3] * b[3];
  }

  /** C·kh·kw, the number of products summed into one output. */
  int fanIn() {
    return inChannels() * kh() * kw();
  }

  Tensor x(Rng rng) {
    return Tensor.randn(rng, n, inChannels(), h, w);
  }

  Tensor factorA(Rng rng) {
    return Tensor.randn(rng, rank, a[0], a[1], a[2], a[3]);
  }

  Tensor factorB(Rng rng) {
    return Tensor.randn(rng, rank, b[0], b[1], b[2], b[3]);
  }

  Tensor biasOrNull(Rng rng) {
    return bias ? Tensor.randn(rng, outChannels()) : null;
  }

  @Override
  public String toString() {
    return Shapes.format(a)
        + " ⊗ "
        + Shapes.format(b)
        + " R="
        + rank
        + " "
        + spec
        + " x=["
        + n
        + ", "
        + inChannels()
        + ", "
        + h
        + ", "
        + w
        + "] bias="
        + bias
        + " seed="
        + seed;
  }

  /**
   * Edge cases first: a 1×1 everything; each way of splitting a spatial kernel between the factors
   * (4×4 = 2×2⊗2×2, 3×3 = 3×1⊗1×3, 1×1⊗3×3, 3×3⊗1×1); asymmetric padding; stride with dilation; C1
   * = 1 with R > 1 (the A stage becomes depthwise); a 1×1 A after a spatial B with F2 > 1 (the A
   * stage mixes Z's rows in place), dilated and asymmetrically padded; two 1×1 A factors that run
   * first (cheaper that way; the second strided, dilated and asymmetrically padded); then random
   * small configurations.
   */
  static Gen<ConvCase> gen(int maxFactorDim) {
    Gen<ConvCase> random =
        (rng, size) -> {
          int[] a = shape(rng, maxFactorDim);
          int[] b = shape(rng, maxFactorDim);
          ConvSpec spec =
              new ConvSpec(
                  rng.nextInt(1, 2),
                  rng.nextInt(1, 2),
                  rng.nextInt(0, 2),
                  rng.nextInt(0, 2),
                  rng.nextInt(0, 2),
                  rng.nextInt(0, 2),
                  rng.nextInt(1, 2),
                  rng.nextInt(1, 2),
                  1);
          int kh = a[2] * b[2];
          int kw = a[3] * b[3];
          int h = minInput(kh, spec.dilationH(), spec.padTop() + spec.padBottom());
          int w = minInput(kw, spec.dilationW(), spec.padLeft() + spec.padRight());
          return new ConvCase(
              a,
              b,
              rng.nextInt(1, 3),
              spec,
              rng.nextInt(1, 2),
              h + rng.nextInt(0, 3),
              w + rng.nextInt(0, 3),
              rng.nextInt(0, 1) == 1,
              rng.nextLong());
        };
    return random.withEdgeCases(
        List.of(
            new ConvCase(
                new int[] {1, 1, 1, 1},
                new int[] {1, 1, 1, 1},
                1,
                ConvSpec.DEFAULT,
                1,
                1,
                1,
                false,
                1),
            new ConvCase(
                new int[] {2, 1, 2, 2},
                new int[] {1, 2, 2, 2},
                2,
                ConvSpec.of(1, 1),
                2,
                5,
                4,
                true,
                2),
            new ConvCase(
                new int[] {2, 2, 3, 1},
                new int[] {2, 1, 1, 3},
                2,
                ConvSpec.of(2, 1),
                1,
                6,
                7,
                true,
                3),
            new ConvCase(
                new int[] {2, 2, 1, 1},
                new int[] {1, 2, 3, 3},
                3,
                ConvSpec.of(1, 1),
                2,
                4,
                4,
                false,
                4),
            new ConvCase(
                new int[] {2, 2, 1, 1},
                new int[] {3, 1, 3, 3},
                2,
                new ConvSpec(1, 1, 1, 0, 2, 1, 2, 1, 1),
                2,
                6,
                5,
                true,
                9),
            new ConvCase(
                new int[] {1, 2, 3, 3},
                new int[] {2, 2, 1, 1},
                2,
                ConvSpec.of(2, 0),
                1,
                5,
                6,
                true,
                5),
            new ConvCase(
                new int[] {2, 1, 2, 2},
                new int[] {2, 3, 2, 1},
                2,
                ConvSpec.same(4, 2, 1, 1, 1),
                1,
                5,
                5,
                true,
                6),
            new ConvCase(
                new int[] {1, 2, 3, 3},
                new int[] {2, 1, 1, 1},
                1,
                new ConvSpec(2, 1, 2, 1, 0, 2, 2, 1, 1),
                2,
                7,
                6,
                false,
                7),
            new ConvCase(
                new int[] {3, 1, 2, 1},
                new int[] {1, 2, 2, 2},
                3,
                ConvSpec.of(1, 0, 2, 1),
                1,
                7,
                5,
                true,
                8),
            new ConvCase(
                new int[] {3, 3, 1, 1},
                new int[] {2, 1, 3, 3},
                2,
                ConvSpec.of(1, 1),
                2,
                5,
                6,
                true,
                10),
            new ConvCase(
                new int[] {3, 2, 1, 1},
                new int[] {2, 1, 3, 3},
                2,
                new ConvSpec(2, 1, 1, 0, 2, 1, 1, 2, 1),
                2,
                7,
                6,
                false,
                11)));
  }

  private static int[] shape(Rng rng, int max) {
    return new int[] {
      rng.nextInt(1, max), rng.nextInt(1, max), rng.nextInt(1, max), rng.nextInt(1, max)
    };
  }

  /** The smallest input size whose padded extent fits the dilated kernel. */
  private static int minInput(int k, int dilation, int pad) {
    return Math.max(1, dilation * (k - 1) + 1 - pad);
  }
}
