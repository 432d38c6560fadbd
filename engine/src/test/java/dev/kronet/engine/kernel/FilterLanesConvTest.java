package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filters-in-lanes convolution against the naive 7-loop convolution: the forward pass and the
 * weight gradient over random strides, dilations and (asymmetric) paddings, and which convolutions
 * it takes. Channel counts stay at most 16 on the summed side, so sums have at most 144 terms,
 * within {@link NaiveConv#assertClose}'s bound.
 */
class FilterLanesConvTest {
  @BeforeAll
  static void needsSixteenLanes() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  /**
   * Forward cases ({@code Rng.nextInt(lo, hi)} is inclusive): 32, 64 or 96 filters (the 12 × 2 and
   * 6 × 4 tiles, and both at once), 1–16 channels, kernels up to 4×4 but not 1×1, strides and
   * dilations up to 3, padding up to 3 on each side. Edge cases first: ResNet-20's stride-2 layers
   * and its 7×7 stage (a pixel count that is no multiple of the tile), a 1×1 output, padding wider
   * than the kernel, a stride past the kernel (inputs never read), a row kernel, no padding on top
   * and left but windows reaching past the bottom and right (not read in place).
   */
  private static Gen<Dims> forwardCases() {
    ConvCases.Ranges r = new ConvCases.Ranges(4, 3, false, 3, true, 14);
    Gen<Dims> g =
        (rng, size) ->
            ConvCases.ungrouped(
                rng, size, r, rng.nextInt(1, 3), rng.nextInt(1, 16), 32 * rng.nextInt(1, 3));
    return g.withEdgeCases(
        List.of(
            new Dims(2, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 16, 14, 14, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 16, 14, 14, 64, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(3, 16, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 5, 3, 3, 96, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new Dims(1, 3, 4, 5, 32, 2, 2, 1, 1, 3, 2, 3, 1, 1, 1, 1),
            new Dims(2, 4, 11, 10, 32, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1, 1),
            new Dims(2, 7, 9, 6, 64, 1, 3, 1, 2, 0, 1, 2, 0, 1, 2, 1),
            new Dims(1, 3, 5, 5, 32, 3, 3, 1, 1, 0, 2, 0, 1, 1, 1, 1)));
  }

  @Test
  void forwardMatchesNaiveConvolution() {
    Property.check("filterLanesForwardMatchesNaive", 40, forwardCases(), this::assertForward);
  }

  /**
   * The weight gradient over the forward cases, with 1–4 images and small planes: each entry sums
   * N·Ho·Wo terms, which must stay within {@link NaiveConv#assertClose}'s bound of about 150. The
   * edge cases add ResNet-20's 32 → 64 shortcut (read in place) and, last, 30 images of 16 large
   * planes (2×2 outputs at stride 20), spans five blocks of images, the last one partial.
   */
  @Test
  void weightGradientMatchesNaiveConvolution() {
    Gen<Dims> g =
        (rng, size) -> {
          Dims d = forwardCases().sample(rng, size);
          return d.outH() * d.outW() * d.n() <= 150 ? d : shrunk(d);
        };
    Property.check(
        "filterLanesWeightGradientMatchesNaive",
        40,
        g.withEdgeCases(
            List.of(
                new Dims(2, 16, 14, 14, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
                new Dims(3, 16, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new Dims(3, 32, 14, 14, 64, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
                new Dims(2, 3, 5, 5, 32, 3, 3, 1, 1, 0, 2, 0, 1, 1, 1, 1),
                new Dims(30, 16, 23, 23, 32, 3, 3, 20, 20, 0, 0, 0, 0, 1, 1, 1))),
        this::assertWeightGradient);
  }

  /** d with one image and its output at most 12×12 (the input cut to fit). */
  private static Dims shrunk(Dims d) {
    int h = Math.min(d.h(), 12 * d.strideH());
    int w = Math.min(d.w(), 12 * d.strideW());
    return new Dims(
        1,
        d.c(),
        h,
        w,
        d.f(),
        d.kh(),
        d.kw(),
        d.strideH(),
        d.strideW(),
        d.padTop(),
        d.padBottom(),
        d.padLeft(),
        d.padRight(),
        d.dilationH(),
        d.dilationW(),
        1);
  }

  @Test
  void resultDoesNotDependOnThreadCount() {
    Dims d = new Dims(9, 8, 9, 9, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Rng rng = new Rng(11);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] w = NaiveConv.random(rng, d.f() * d.c() * 9);
    float[][] outs = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      try (var scope = Parallel.withThreads(threads)) {
        outs[threads - 1] = new float[d.outNumel()];
        FilterLanesConv.forward(d.geometry(d.c()), d.f(), d.n(), x, w, null, outs[threads - 1]);
      }
    }
    assertArrayEquals(outs[0], outs[1]);
  }

  private void assertForward(Dims d) {
    Rng rng = new Rng(d.hashCode() + 5L);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] w = NaiveConv.random(rng, d.f() * d.c() * d.kh() * d.kw());
    float[] b = NaiveConv.random(rng, d.f());
    ConvGeometry g = d.geometry(d.c());
    ConvPlans.assertForward(ConvKernel.FILTER_LANES, g, d.f());
    // the output is overwritten: start it from garbage
    float[] out = NaiveConv.random(rng, d.outNumel());
    FilterLanesConv.forward(g, d.f(), d.n(), x, w, b, out);
    double[][] want = NaiveConv.forward(d, x, w, b);
    NaiveConv.assertClose("out", want[0], want[1], out);
    float[] noBias = NaiveConv.random(rng, d.outNumel());
    FilterLanesConv.forward(g, d.f(), d.n(), x, w, null, noBias);
    double[][] wantNoBias = NaiveConv.forward(d, x, w, null);
    NaiveConv.assertClose("out without bias", wantNoBias[0], wantNoBias[1], noBias);
  }

  private void assertWeightGradient(Dims d) {
    Rng rng = new Rng(d.hashCode() + 9L);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    ConvGeometry g = d.geometry(d.c());
    ConvPlans.assertWeightGradient(ConvKernel.FILTER_LANES, g, d.f());
    float[] dw = NaiveConv.random(rng, d.f() * d.c() * d.kh() * d.kw());
    try (var threads = Parallel.withThreads(2)) {
      FilterLanesConv.backwardWeight(g, d.f(), d.n(), dout, x, dw);
    }
    NaiveConv.assertClose(
        "dw", NaiveConv.weightGrad(d, dout, x), NaiveConv.weightGradScale(d, dout, x), dw);
  }
}
