package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.engine.ops.OpCounter;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import org.junit.jupiter.api.Test;

class KroneckerConvolutionTest {

  /** W = Σ_r A_r ⊗ B_r of float factors, in double then rounded to float. */
  static Tensor denseWeight(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    KroneckerLayout layout =
        KroneckerLayout.of(
            new int[] {as[1], as[2], as[3], as[4]}, new int[] {bs[1], bs[2], bs[3], bs[4]});
    DoubleTensor w =
        Kronecker.kronSum(
            layout,
            DoubleTensor.ofFloats(a.toArray(), as).data(),
            DoubleTensor.ofFloats(b.toArray(), bs).data(),
            as[0]);
    return Tensor.wrap(w.toFloatArray(), w.shape());
  }

  @Test
  void equalsDenseConvolutionWithTheRebuiltWeight() {
    Property.check(
        "kroneckerConvEqualsDenseConvOfKronSum",
        60,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Tensor x = c.x(rng);
          Tensor a = c.factorA(rng);
          Tensor b = c.factorB(rng);
          Tensor bias = c.biasOrNull(rng);
          Tensor w = denseWeight(a, b);
          Tensor expected = Convolution.conv2d(x, w, bias, c.spec());
          Tensor actual = KroneckerConvolution.conv2d(x, a, b, bias, c.spec());
          double tol = Tolerance.kronecker(c.fanIn(), c.rank(), x, a, b, w);
          double diff = Tolerance.maxDiff(actual, expected);
          assertTrue(diff <= tol, "max |kron − dense| = " + diff + " > " + tol);
        });
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Property.check(
        "kroneckerConvGradients",
        12,
        ConvCase.gen(2),
        c -> {
          Rng rng = new Rng(c.seed());
          Tensor x = c.x(rng).requiresGrad(true);
          Tensor a = c.factorA(rng).requiresGrad(true);
          Tensor b = c.factorB(rng).requiresGrad(true);
          Tensor bias = c.biasOrNull(rng);
          if (bias == null) {
            GradCheck.create()
                .check(
                    "kronecker conv2d",
                    in -> KroneckerConvolution.conv2d(in[0], in[1], in[2], null, c.spec()),
                    x,
                    a,
                    b);
          } else {
            bias.requiresGrad(true);
            GradCheck.create()
                .check(
                    "kronecker conv2d",
                    in -> KroneckerConvolution.conv2d(in[0], in[1], in[2], in[3], c.spec()),
                    x,
                    a,
                    b,
                    bias);
          }
        });
  }

  @Test
  void countedMacsEqualTheExactFormulaAndConvCost() {
    Property.check(
        "kroneckerMacsCountedEqualFormula",
        40,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Tensor x = c.x(rng);
          Tensor a = c.factorA(rng);
          Tensor b = c.factorB(rng);
          long kron;
          try (OpCounter counter = OpCounter.count()) {
            KroneckerConvolution.conv2d(x, a, b, c.biasOrNull(rng), c.spec());
            kron = counter.macs();
          }
          assertEquals(
              KroneckerConvolution.macs(c.n(), c.h(), c.w(), c.a(), c.b(), c.rank(), c.spec()),
              kron);
          long dense;
          try (OpCounter counter = OpCounter.count()) {
            Convolution.conv2d(x, denseWeight(a, b), null, c.spec());
            dense = counter.macs();
          }
          ConvSpec s = c.spec();
          boolean costModelApplies =
              s.strideH() == s.strideW()
                  && s.dilationH() == 1
                  && s.dilationW() == 1
                  && s.padTop() == s.padBottom()
                  && s.padTop() == s.padLeft()
                  && s.padTop() == s.padRight();
          if (costModelApplies) {
            // gkpd.cost models symmetric padding, square stride and dilation 1, per image
            ConvSetting g = ConvSetting.of(c.h(), c.w(), s.strideH(), s.padTop());
            ConvShape as = ConvShape.of(c.a());
            ConvShape bs = ConvShape.of(c.b());
            assertEquals(c.n() * ConvCost.kroneckerMacs(as, bs, c.rank(), g), kron);
            assertEquals(c.n() * ConvCost.denseMacs(as.times(bs), g), dense);
          }
          long outPixels = (long) s.outHeight(c.h(), c.kh()) * s.outWidth(c.w(), c.kw());
          assertEquals((long) c.n() * c.outChannels() * c.fanIn() * outPixels, dense);
        });
  }

  @Test
  void eqSeventeenUndercountsOnlyWhenTheBStageOutrunsTheOutputGrid() {
    // stride 1, 1×1 A: the B stage runs exactly on the output grid, so eq. (17) is exact
    ConvSpec same = ConvSpec.of(1, 1);
    int[] a = {2, 2, 1, 1};
    int[] b = {2, 2, 3, 3};
    long perPixel = ConvCost.kroneckerMacsPerPixel(ConvShape.of(a), ConvShape.of(b), 2);
    assertEquals(perPixel * 8 * 8, KroneckerConvolution.macs(1, 8, 8, a, b, 2, same));
    // stride 2 with a 3×3 A: the (1×1) B stage covers the 8×8 input, not the 4×4 output
    ConvSpec strided = ConvSpec.of(2, 1);
    int[] a3 = {2, 2, 3, 3};
    int[] b1 = {2, 2, 1, 1};
    long paper = ConvCost.kroneckerMacsPerPixel(ConvShape.of(a3), ConvShape.of(b1), 2) * 4 * 4;
    long run = KroneckerConvolution.macs(1, 8, 8, a3, b1, 2, strided);
    assertEquals(2L * (2 * 4 * 8 * 8 + 2 * 36 * 4 * 4), run);
    assertTrue(run > paper);
    // a spatial B stage covers the padded stride-1 grid: 10×10 − 2 for a 3×1 B on 8×8, padding 1
    int[] a31 = {2, 2, 1, 3};
    int[] b31 = {2, 2, 3, 1};
    assertEquals(
        2L * (2 * 12 * 8 * 10 + 2 * 12 * 4 * 4),
        KroneckerConvolution.macs(1, 8, 8, a31, b31, 2, strided));
  }

  /**
   * A 1×1 A runs first exactly when that costs fewer multiply-adds: ResNet-20's 16→16 3×3 split as
   * A [8, 16, 1, 1] ⊗ B [2, 1, 3, 3] (B first 16·18 + 2·128 = 544 per pixel and term, A first 1·128
   * + 8·18 = 272), but not as A [16, 8, 1, 1] ⊗ B [1, 2, 3, 3] (B first 8·18 + 1·128 = 272, A first
   * 2·128 + 16·18 = 544), and never with a spatial A. The edge cases of {@link ConvCase#gen} check
   * the A-first results against the dense convolution.
   */
  @Test
  void aOneByOneAStageRunsFirstWhenThatIsCheaper() {
    ConvSpec same = ConvSpec.of(1, 1);
    int[] a = {8, 16, 1, 1};
    int[] b = {2, 1, 3, 3};
    assertTrue(KroneckerConvolution.runsAFirst(28, 28, a, b, same));
    assertEquals(3L * 272 * 28 * 28, KroneckerConvolution.macs(1, 28, 28, a, b, 3, same));
    int[] a2 = {16, 8, 1, 1};
    int[] b2 = {1, 2, 3, 3};
    assertFalse(KroneckerConvolution.runsAFirst(28, 28, a2, b2, same));
    assertEquals(3L * 272 * 28 * 28, KroneckerConvolution.macs(1, 28, 28, a2, b2, 3, same));
    assertFalse(KroneckerConvolution.runsAFirst(28, 28, b, a, same));
    ConvSetting g = ConvSetting.of(28, 28, 1, 1);
    assertEquals(
        3L * 272 * 28 * 28, ConvCost.kroneckerMacs(ConvShape.of(a), ConvShape.of(b), 3, g));
  }

  @Test
  void groupedConvolutionIsRejected() {
    Rng rng = new Rng(3);
    Tensor x = Tensor.randn(rng, 1, 4, 5, 5);
    Tensor a = Tensor.randn(rng, 1, 2, 2, 1, 1);
    Tensor b = Tensor.randn(rng, 1, 2, 2, 3, 3);
    KronetException e =
        assertThrows(
            KronetException.class,
            () -> KroneckerConvolution.conv2d(x, a, b, null, ConvSpec.of(1, 1, 1, 2)));
    assertTrue(e.getMessage().contains("groups=2"), e.getMessage());
  }

  @Test
  void mismatchedShapesAreRejectedWithTheShapes() {
    Rng rng = new Rng(4);
    Tensor x = Tensor.randn(rng, 1, 5, 5, 5);
    Tensor a = Tensor.randn(rng, 2, 2, 2, 1, 1);
    Tensor b = Tensor.randn(rng, 2, 2, 2, 3, 3);
    KronetException channels =
        assertThrows(
            KronetException.class,
            () -> KroneckerConvolution.conv2d(x, a, b, null, ConvSpec.DEFAULT));
    assertTrue(channels.getMessage().contains("[1, 5, 5, 5]"), channels.getMessage());
    Tensor b3 = Tensor.randn(rng, 3, 2, 2, 3, 3);
    assertThrows(
        KronetException.class, () -> KroneckerConvolution.conv2d(x, a, b3, null, ConvSpec.DEFAULT));
    Tensor x4 = Tensor.randn(rng, 1, 4, 2, 2);
    KronetException small =
        assertThrows(
            KronetException.class,
            () -> KroneckerConvolution.conv2d(x4, a, b, null, ConvSpec.DEFAULT));
    assertTrue(small.getMessage().contains("3×3"), small.getMessage());
    assertThrows(
        KronetException.class,
        () -> KroneckerConvolution.conv2d(x4, a, b, Tensor.zeros(3), ConvSpec.of(1, 1)));
  }

  @Test
  void outputShapeIsTheDenseConvolutions() {
    Rng rng = new Rng(5);
    Tensor y =
        KroneckerConvolution.conv2d(
            Tensor.randn(rng, 2, 6, 9, 8),
            Tensor.randn(rng, 2, 3, 2, 2, 2),
            Tensor.randn(rng, 2, 4, 3, 2, 2),
            null,
            new ConvSpec(2, 1, 1, 2, 0, 1, 1, 2, 1));
    assertArrayEquals(new int[] {2, 12, 5, 3}, y.shape());
  }
}
