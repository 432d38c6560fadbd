package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flat-plane direct convolution against the naive 7-loop convolution, forward and back, for its
 * SIMD loops and their scalar twins.
 */
class DirectConvTest {
  /**
   * Stride-1 ungrouped convolutions: channel and filter counts on both sides of the 4-filter block,
   * planes on both sides of the 16- and 64-position tiles, any kernel, dilation and (asymmetric)
   * padding. Edge cases first: row and column kernels, dilation 2, no padding, padding wider than
   * the kernel, a 1×1 input, a batch larger than one weight-gradient block of images, and unpadded
   * batches whose planes are read in place.
   */
  private static Gen<Dims> stride1() {
    Gen<Dims> g = random(false);
    return g.withEdgeCases(
        List.of(
            new Dims(2, 3, 5, 7, 5, 1, 3, 1, 1, 0, 0, 1, 1, 1, 1, 1),
            new Dims(1, 4, 6, 5, 4, 3, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1),
            new Dims(2, 5, 9, 8, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1),
            new Dims(1, 2, 6, 6, 3, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new Dims(2, 3, 3, 4, 2, 2, 2, 1, 1, 3, 2, 2, 3, 1, 1, 1),
            new Dims(3, 2, 1, 1, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            new Dims(5, 8, 40, 40, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            // no padding: planes read in place (all but the last images), dilated too, and planes
            // so small that a plane's reads reach past the next image
            new Dims(3, 4, 9, 8, 5, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new Dims(4, 2, 10, 9, 6, 3, 2, 1, 1, 0, 0, 0, 0, 2, 2, 1),
            new Dims(4, 1, 3, 3, 2, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
  }

  /**
   * Strided ungrouped convolutions (split into stride phases): strides 1–4 per axis, kernels 1–4
   * (1×1 too), dilation 1–3, any padding. Edge cases first: ResNet-20's 3×3 stride-2 and 1×1
   * stride-2 layers, a stride larger than the kernel (pixels no output reads), stride 2 with
   * dilation 2 (every tap in one phase), unequal strides, padding wider than the stride, and a 1×1
   * output.
   */
  private static Gen<Dims> strided() {
    Gen<Dims> g = random(true);
    return g.withEdgeCases(
        List.of(
            new Dims(2, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(3, 8, 14, 14, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 6, 14, 14, 9, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(2, 3, 11, 10, 5, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1, 1),
            new Dims(2, 3, 9, 9, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 1),
            new Dims(1, 5, 9, 12, 7, 3, 2, 1, 3, 1, 0, 2, 1, 1, 1, 1),
            new Dims(2, 2, 5, 5, 3, 3, 3, 2, 2, 3, 3, 3, 3, 1, 1, 1),
            new Dims(3, 4, 3, 3, 5, 3, 3, 3, 3, 0, 0, 0, 0, 1, 1, 1)));
  }

  /**
   * Random ungrouped convolutions ({@code Rng.nextInt(lo, hi)} is inclusive): 1–3 images, 1–9
   * channels and filters, kernels up to 4×4 with any (asymmetric) padding up to 3 and planes
   * growing with the size; stride 1, dilation up to 2 and a kernel larger than 1×1, or ({@code
   * strided}) strides up to 4 with at least one above 1, dilation up to 3 and 1×1 kernels too.
   */
  private static Gen<Dims> random(boolean strided) {
    ConvCases.Ranges r =
        strided
            ? new ConvCases.Ranges(4, 4, true, 3, true, 16)
            : new ConvCases.Ranges(4, 1, false, 2, false, 14);
    return (rng, size) ->
        ConvCases.ungrouped(rng, size, r, rng.nextInt(1, 3), rng.nextInt(1, 9), rng.nextInt(1, 9));
  }

  @Test
  void stridedSimdLoopsMatchNaiveConvolution() {
    Property.check("stridedSimdLoopsMatchNaive", 40, strided(), d -> assertMatches(d, true));
  }

  @Test
  void stridedScalarTwinsMatchNaiveConvolution() {
    Property.check("stridedScalarTwinsMatchNaive", 40, strided(), d -> assertMatches(d, false));
  }

  @Test
  void simdLoopsMatchNaiveConvolution() {
    Property.check("simdLoopsMatchNaiveConvolution", 40, stride1(), d -> assertMatches(d, true));
  }

  @Test
  void scalarTwinsMatchNaiveConvolution() {
    Property.check("scalarTwinsMatchNaiveConvolution", 40, stride1(), d -> assertMatches(d, false));
  }

  @Test
  void weightGradientIsReproducibleAcrossCalls() {
    Dims d = new Dims(9, 5, 12, 11, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Rng rng = new Rng(5);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    float[] first = new float[d.f() * d.c() * 9];
    float[] second = new float[first.length];
    DirectConv.backwardWeight(d.geometry(d.c()), d.f(), d.n(), dout, x, first, Simd.ENABLED);
    DirectConv.backwardWeight(d.geometry(d.c()), d.f(), d.n(), dout, x, second, Simd.ENABLED);
    assertArrayEquals(first, second);
  }

  private static ConvGeometry geometry(int kh, int kw, int stride) {
    return new ConvGeometry(2, 8, 8, kh, kw, stride, stride, 1, 1, 1, 1, 8, 8);
  }

  private static void assertMatches(Dims d, boolean simd) {
    boolean useSimd = simd && Simd.ENABLED;
    Rng rng = new Rng(d.hashCode() + 3L);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] w = NaiveConv.random(rng, d.f() * d.c() * d.kh() * d.kw());
    float[] b = NaiveConv.random(rng, d.f());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    ConvGeometry g = d.geometry(d.c());
    float[] out = new float[d.outNumel()];
    DirectConv.forward(g, d.f(), d.n(), x, w, b, out, useSimd);
    double[][] want = NaiveConv.forward(d, x, w, b);
    NaiveConv.assertClose("out", want[0], want[1], out);
    float[] noBias = new float[d.outNumel()];
    DirectConv.forward(g, d.f(), d.n(), x, w, null, noBias, useSimd);
    double[][] wantNoBias = NaiveConv.forward(d, x, w, null);
    NaiveConv.assertClose("out without bias", wantNoBias[0], wantNoBias[1], noBias);
    // dx and dw are overwritten: start them from garbage
    float[] dx = NaiveConv.random(rng, x.length);
    DirectConv.backwardInput(g, d.f(), d.n(), dout, w, dx, useSimd);
    NaiveConv.assertClose(
        "dx", NaiveConv.inputGrad(d, dout, w), NaiveConv.inputGradScale(d, dout, w), dx);
    float[] dw = NaiveConv.random(rng, w.length);
    DirectConv.backwardWeight(g, d.f(), d.n(), dout, x, dw, useSimd);
    NaiveConv.assertClose(
        "dw", NaiveConv.weightGrad(d, dout, x), NaiveConv.weightGradScale(d, dout, x), dw);
    // both from one pass: the same arithmetic, so the same floats
    float[] dxBoth = NaiveConv.random(rng, x.length);
    float[] dwBoth = NaiveConv.random(rng, w.length);
    DirectConv.backward(g, d.f(), d.n(), dout, x, w, dxBoth, dwBoth, useSimd);
    assertArrayEquals(dx, dxBoth, "dx from the fused pass");
    assertArrayEquals(dw, dwBoth, "dw from the fused pass");
  }
}
