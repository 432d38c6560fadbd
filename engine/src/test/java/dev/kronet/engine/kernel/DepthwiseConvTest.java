package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Property;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The direct depthwise kernel against the naive 7-loop convolution, run as a contract over both
 * implementations: the scalar twin and (when the Vector API is on) the SIMD rows.
 */
class DepthwiseConvTest {
  private static List<Boolean> implementations() {
    List<Boolean> simd = new ArrayList<>(List.of(false));
    if (Simd.ENABLED) {
      simd.add(true);
    }
    return simd;
  }

  @Test
  void forwardMatchesNaiveConvolution() {
    Property.check(
        "depthwiseForwardMatchesNaiveConvolution",
        40,
        ConvCases.depthwise(3),
        d -> {
          Rng rng = new Rng(d.hashCode());
          float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
          float[] w = NaiveConv.random(rng, d.f() * d.kh() * d.kw());
          float[] b = rng.nextBoolean() ? NaiveConv.random(rng, d.f()) : null;
          double[][] want = NaiveConv.forward(d, x, w, b);
          for (boolean simd : implementations()) {
            float[] out = new float[d.outNumel()];
            DepthwiseConv.forward(d.geometry(d.c()), d.f() / d.c(), d.n(), x, w, b, out, simd);
            NaiveConv.assertClose("out (simd=" + simd + ")", want[0], want[1], out);
          }
        });
  }

  @Test
  void backwardMatchesNaiveAdjoints() {
    Property.check(
        "depthwiseBackwardMatchesNaiveAdjoints",
        40,
        ConvCases.depthwise(3),
        d -> {
          Rng rng = new Rng(d.hashCode() * 31L);
          float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
          float[] w = NaiveConv.random(rng, d.f() * d.kh() * d.kw());
          float[] dout = NaiveConv.random(rng, d.outNumel());
          int m = d.f() / d.c();
          for (boolean simd : implementations()) {
            float[] dx = new float[x.length];
            DepthwiseConv.backwardInput(d.geometry(d.c()), m, d.n(), dout, w, dx, simd);
            NaiveConv.assertClose(
                "dx (simd=" + simd + ")",
                NaiveConv.inputGrad(d, dout, w),
                NaiveConv.inputGradScale(d, dout, w),
                dx);
            float[] dw = new float[w.length];
            DepthwiseConv.backwardWeight(d.geometry(d.c()), m, d.n(), dout, x, dw, simd);
            NaiveConv.assertClose(
                "dw (simd=" + simd + ")",
                NaiveConv.weightGrad(d, dout, x),
                NaiveConv.weightGradScale(d, dout, x),
                dw);
          }
        });
  }

  @Test
  void weightGradientIsReproducible() {
    Dims d = new Dims(4, 3, 9, 11, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3);
    Rng rng = new Rng(7);
    float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
    float[] dout = NaiveConv.random(rng, d.outNumel());
    float[] first = new float[d.f() * d.kh() * d.kw()];
    float[] second = new float[first.length];
    DepthwiseConv.backwardWeight(d.geometry(d.c()), 2, d.n(), dout, x, first, Simd.ENABLED);
    DepthwiseConv.backwardWeight(d.geometry(d.c()), 2, d.n(), dout, x, second, Simd.ENABLED);
    assertArrayEquals(first, second);
  }
}
