package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 1×1 stride-1 convolution on NCHW planes against the naive 7-loop convolution, forward and
 * back, for its SIMD loops and their scalar twins.
 */
class PointwiseConvTest {
  /**
   * Random 1×1 convolutions ({@code Rng.nextInt(lo, hi)} is inclusive): 1–3 images, 1–9 channels
   * and filters, planes up to about 20×20. Edge cases first: planes below one 16-position block
   * (all scalar), exactly one block, one block and a scalar tail (7×7), whole 64-position tiles
   * (8×8), filter counts on both sides of the 4-filter block, one channel, and the Kronecker A
   * stage that made this kernel (48 channels to 8 filters on 28×28).
   */
  private static Gen<Dims> pointwise() {
    Gen<Dims> g =
        (rng, size) -> {
          int grow = 1 + 19 * size / 100;
          return dims(
              rng.nextInt(1, 3),
              rng.nextInt(1, 9),
              rng.nextInt(1, grow),
              rng.nextInt(1, grow),
              rng.nextInt(1, 9));
        };
    return g.withEdgeCases(
        List.of(
            dims(2, 3, 3, 3, 5),
            dims(2, 4, 4, 4, 4),
            dims(3, 5, 7, 7, 6),
            dims(2, 6, 8, 8, 8),
            dims(1, 1, 5, 9, 3),
            dims(2, 7, 1, 1, 9),
            dims(2, 48, 28, 28, 8)));
  }

  private static Dims dims(int n, int c, int h, int w, int f) {
    return new Dims(n, c, h, w, f, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
  }

  @Test
  void simdLoopsMatchNaiveConvolution() {
    Property.check("pointwiseSimdMatchesNaive", 40, pointwise(), d -> assertMatches(d, true));
  }

  @Test
  void scalarTwinsMatchNaiveConvolution() {
    Property.check("pointwiseScalarMatchesNaive", 40, pointwise(), d -> assertMatches(d, false));
  }

  @Test
  void weightGradientIsReproducibleAcrossCalls() {
    Dims d = dims(9, 6, 7, 7, 5);
    Rng rng = new Rng(5);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    float[] first = new float[d.f() * d.c()];
    float[] second = new float[first.length];
    PointwiseConv.backwardWeight(d.geometry(d.c()), d.f(), d.n(), dout, x, first, Simd.ENABLED);
    PointwiseConv.backwardWeight(d.geometry(d.c()), d.f(), d.n(), dout, x, second, Simd.ENABLED);
    assertArrayEquals(first, second);
  }

  private static void assertMatches(Dims d, boolean simd) {
    boolean useSimd = simd && Simd.ENABLED;
    Rng rng = new Rng(d.hashCode() + 7L);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] w = NaiveConv.random(rng, d.f() * d.c());
    float[] b = NaiveConv.random(rng, d.f());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    ConvGeometry g = d.geometry(d.c());
    // every output is overwritten: start them all from garbage
    float[] out = NaiveConv.random(rng, d.outNumel());
    PointwiseConv.forward(g, d.f(), d.n(), x, w, b, out, useSimd);
    double[][] want = NaiveConv.forward(d, x, w, b);
    NaiveConv.assertClose("out", want[0], want[1], out);
    float[] noBias = NaiveConv.random(rng, d.outNumel());
    PointwiseConv.forward(g, d.f(), d.n(), x, w, null, noBias, useSimd);
    double[][] wantNoBias = NaiveConv.forward(d, x, w, null);
    NaiveConv.assertClose("out without bias", wantNoBias[0], wantNoBias[1], noBias);
    float[] dx = NaiveConv.random(rng, x.length);
    PointwiseConv.backwardInput(g, d.f(), d.n(), dout, w, dx, useSimd);
    NaiveConv.assertClose(
        "dx", NaiveConv.inputGrad(d, dout, w), NaiveConv.inputGradScale(d, dout, w), dx);
    float[] dw = NaiveConv.random(rng, w.length);
    PointwiseConv.backwardWeight(g, d.f(), d.n(), dout, x, dw, useSimd);
    NaiveConv.assertClose(
        "dw", NaiveConv.weightGrad(d, dout, x), NaiveConv.weightGradScale(d, dout, x), dw);
  }
}
