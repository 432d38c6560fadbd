package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

/** The im2col + GEMM convolution driver against the naive 7-loop convolution, forward and back. */
class Conv2dGemmTest {
  @Test
  void groupedGemmMatchesNaiveConvolution() {
    Property.check(
        "groupedGemmMatchesNaiveConvolution",
        30,
        ConvCases.any(3),
        Conv2dGemmTest::assertMatchesNaive);
  }

  /**
   * Output planes on both sides of the size from which each image gets its own GEMM (256 columns),
   * with batches that leave a partial block of images at the end of a chunk.
   */
  @Test
  void imageBlocksOfEverySizeMatchNaiveConvolution() {
    Dims[] cases = {
      new Dims(3, 2, 16, 16, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
      new Dims(3, 2, 15, 15, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
      new Dims(5, 4, 7, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
      new Dims(7, 2, 9, 9, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
    };
    for (Dims d : cases) {
      assertMatchesNaive(d);
    }
  }

  private static void assertMatchesNaive(Dims d) {
    Rng rng = new Rng(d.hashCode() + 2L);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] w = NaiveConv.random(rng, d.f() * (d.c() / d.groups()) * d.kh() * d.kw());
    float[] b = NaiveConv.random(rng, d.f());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    int fg = d.f() / d.groups();
    float[] out = new float[d.outNumel()];
    Conv2dGemm.forward(d.geometry(d.c() / d.groups()), d.groups(), fg, d.n(), x, w, b, out);
    double[][] want = NaiveConv.forward(d, x, w, b);
    NaiveConv.assertClose("out", want[0], want[1], out);
    float[] dx = new float[x.length];
    Conv2dGemm.backwardInput(d.geometry(d.c() / d.groups()), d.groups(), fg, d.n(), dout, w, dx);
    NaiveConv.assertClose(
        "dx", NaiveConv.inputGrad(d, dout, w), NaiveConv.inputGradScale(d, dout, w), dx);
    float[] dw = new float[w.length];
    Conv2dGemm.backwardWeight(d.geometry(d.c() / d.groups()), d.groups(), fg, d.n(), dout, x, dw);
    NaiveConv.assertClose(
        "dw", NaiveConv.weightGrad(d, dout, x), NaiveConv.weightGradScale(d, dout, x), dw);
  }

  @Test
  void weightGradientIsReproducibleAcrossCalls() {
    Dims d = new Dims(7, 4, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2);
    Rng rng = new Rng(11);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    float[] first = new float[d.f() * 2 * 9];
    float[] second = new float[first.length];
    Conv2dGemm.backwardWeight(d.geometry(d.c() / d.groups()), 2, 3, d.n(), dout, x, first);
    Conv2dGemm.backwardWeight(d.geometry(d.c() / d.groups()), 2, 3, d.n(), dout, x, second);
    assertArrayEquals(first, second);
  }
}
