package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.ConvCases;
import dev.kronet.engine.kernel.NaiveConv;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvolutionTest {
  private static ConvSpec spec(Dims d) {
    return new ConvSpec(
        d.strideH(),
        d.strideW(),
        d.padTop(),
        d.padBottom(),
        d.padLeft(),
        d.padRight(),
        d.dilationH(),
        d.dilationW(),
        d.groups());
  }

  private static Tensor[] tensors(Dims d, Rng rng, boolean withBias) {
    Tensor x = Tensor.randn(rng, d.n(), d.c(), d.h(), d.w());
    Tensor w = Tensor.randn(rng, d.f(), d.c() / d.groups(), d.kh(), d.kw());
    Tensor b = withBias ? Tensor.randn(rng, d.f()) : null;
    return new Tensor[] {x, w, b};
  }

  @Test
  void forwardMatchesNaiveSevenLoopConvolution() {
    Property.check(
        "conv2dMatchesNaiveSevenLoopConvolution",
        50,
        ConvCases.any(3),
        d -> {
          Rng rng = new Rng(d.hashCode());
          Tensor[] t = tensors(d, rng, rng.nextBoolean());
          Tensor out = Convolution.conv2d(t[0], t[1], t[2], spec(d));
          assertArrayEquals(new int[] {d.n(), d.f(), d.outH(), d.outW()}, out.shape());
          double[][] want =
              NaiveConv.forward(
                  d, t[0].toArray(), t[1].toArray(), t[2] == null ? null : t[2].toArray());
          NaiveConv.assertClose("conv2d", want[0], want[1], out.toArray());
        });
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Property.check(
        "conv2dGradientsMatchFiniteDifferences",
        25,
        ConvCases.any(2),
        d -> {
          Rng rng = new Rng(d.hashCode() * 7L);
          Tensor[] t = tensors(d, rng, true);
          for (Tensor v : t) {
            v.requiresGrad(true);
          }
          GradCheck.create()
              .check(
                  "conv2d " + d,
                  in -> Convolution.conv2d(in[0], in[1], in[2], spec(d)),
                  t[0],
                  t[1],
                  t[2]);
        });
  }

  @Test
  void gradientsWithoutBiasAndForSelectedInputsOnly() {
    Dims d = new Dims(2, 4, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4);
    Rng rng = new Rng(3);
    Tensor x = Tensor.randn(rng, 2, 4, 5, 5);
    Tensor w = Tensor.randn(rng, 4, 1, 3, 3).requiresGrad(true);
    GradCheck.create().check("depthwise, weight only", in -> conv(in, d), x, w);
    assertNull(x.grad(), "x does not require grad, so it gets none");
    Tensor x2 = Tensor.randn(rng, 2, 4, 5, 5).requiresGrad(true);
    Tensor w2 = Tensor.randn(rng, 6, 2, 2, 3);
    Dims g = new Dims(2, 4, 5, 5, 6, 2, 3, 2, 1, 0, 1, 1, 0, 1, 2, 2);
    GradCheck.create().check("grouped, input only", in -> conv(in, g), x2, w2);
  }

  private static Tensor conv(Tensor[] in, Dims d) {
    return Convolution.conv2d(in[0], in[1], null, spec(d));
  }

  @Test
  void acceptsNonContiguousInputs() {
    Rng rng = new Rng(5);
    Tensor xt = Tensor.randn(rng, 2, 3, 6, 5); // read as [2, 3, 5, 6] after the transpose
    Tensor x = xt.transpose(2, 3);
    Tensor w = Tensor.randn(rng, 4, 3, 3, 2);
    Tensor out = Convolution.conv2d(x, w, null, ConvSpec.of(1, 1));
    Tensor expected = Convolution.conv2d(x.contiguous(), w, null, ConvSpec.of(1, 1));
    assertArrayEquals(expected.toArray(), out.toArray(), 0f);
  }

  @Test
  void rejectsAChannelMismatch() {
    Tensor x = Tensor.zeros(1, 3, 5, 5);
    Tensor w = Tensor.zeros(4, 2, 3, 3);
    KronetException e = assertThrows(KronetException.class, () -> Convolution.conv2d(x, w, null));
    assertMentions(e, "weight", "[4, 2, 3, 3]", "[1, 3, 5, 5]", "needs 3");
  }

  @Test
  void rejectsGroupsThatDoNotDivide() {
    Tensor x = Tensor.zeros(1, 6, 5, 5);
    KronetException channels =
        assertThrows(
            KronetException.class,
            () -> Convolution.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, ConvSpec.of(1, 0, 1, 4)));
    assertMentions(channels, "groups=4", "6 input channels");
    KronetException filters =
        assertThrows(
            KronetException.class,
            () -> Convolution.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, ConvSpec.of(1, 0, 1, 3)));
    assertMentions(filters, "groups=3", "4 filters");
  }

  @Test
  void rejectsAKernelLargerThanThePaddedInput() {
    Tensor x = Tensor.zeros(1, 1, 4, 4);
    Tensor w = Tensor.zeros(1, 1, 3, 3);
    KronetException e =
        assertThrows(
            KronetException.class, () -> Convolution.conv2d(x, w, null, ConvSpec.of(1, 0, 2, 1)));
    assertMentions(e, "larger than the padded input", "4×4", "dilation 2×2");
  }

  @Test
  void rejectsBadRanksAndBias() {
    assertMentions(
        assertThrows(
            KronetException.class,
            () -> Convolution.conv2d(Tensor.zeros(3, 5, 5), Tensor.zeros(1, 3, 3, 3), null)),
        "input x",
        "[3, 5, 5]");
    assertMentions(
        assertThrows(
            KronetException.class,
            () ->
                Convolution.conv2d(
                    Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3, 3), Tensor.zeros(3))),
        "bias",
        "[2]",
        "[3]");
  }

  @Test
  void specRejectsNonPositiveStrideAndNegativePadding() {
    assertMentions(assertThrows(KronetException.class, () -> ConvSpec.of(0, 1)), "strideH", "0");
    assertMentions(
        assertThrows(KronetException.class, () -> ConvSpec.DEFAULT.withPadding(0, -1, 0, 0)),
        "padBottom",
        "-1");
    assertMentions(
        assertThrows(KronetException.class, () -> ConvSpec.of(1, 0, 1, 0)), "groups", "0");
  }

  @Test
  void specOutputSizeFollowsPyTorch() {
    // torch: floor((in + pads − dilation·(k−1) − 1) / stride) + 1
    ConvSpec s = new ConvSpec(2, 3, 1, 2, 0, 1, 2, 1, 1);
    assertEquals((7 + 3 - 4 - 1) / 2 + 1, s.outHeight(7, 3));
    assertEquals((8 + 1 - 1 - 1) / 3 + 1, s.outWidth(8, 2));
    assertEquals(0, ConvSpec.outputSize(2, 5, 1, 0, 0, 1));
  }

  @Test
  void samePaddingKeepsTheInputSize() {
    Property.check(
        "samePaddingKeepsTheInputSize",
        30,
        Gen.<int[]>of(
            (rng, size) ->
                new int[] {
                  rng.nextInt(1, 5),
                  rng.nextInt(1, 5),
                  rng.nextInt(1, 3),
                  rng.nextInt(1, 3),
                  rng.nextInt(1, 7),
                  rng.nextInt(1, 7)
                }),
        s -> {
          ConvSpec spec = ConvSpec.same(s[0], s[1], s[2], s[3], 1);
          assertEquals(s[4], spec.outHeight(s[4], s[0]), "height");
          assertEquals(s[5], spec.outWidth(s[5], s[1]), "width");
          assertTrue(
              spec.padBottom() - spec.padTop() == 0 || spec.padBottom() - spec.padTop() == 1);
          Tensor out =
              Convolution.conv2d(
                  Tensor.zeros(1, 1, s[4], s[5]), Tensor.zeros(1, 1, s[0], s[1]), null, spec);
          assertArrayEquals(new int[] {1, 1, s[4], s[5]}, out.shape());
        });
  }

  private static void assertMentions(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
  }

  /**
   * Strided ungrouped convolutions whose kernel covers the stride (ResNet's downsampling 3×3 at
   * stride 2 among them): forward, input and weight gradients against the naive convolution, for
   * strides 2 and 3 in either direction, kernels up to 5, asymmetric padding and odd and even input
   * sizes.
   */
  @Test
  void stridedConvolutionsMatchNaive() {
    Gen<Dims> strided =
        (rng, size) -> {
          int sh = rng.nextInt(1, 3);
          int sw = rng.nextInt(sh == 1 ? 2 : 1, 3);
          int kh = rng.nextInt(sh, 5);
          int kw = rng.nextInt(sw, 5);
          int pt = rng.nextInt(0, kh - 1);
          int pl = rng.nextInt(0, kw - 1);
          int pb = rng.nextInt(0, 2);
          int pr = rng.nextInt(0, 2);
          int h = Math.max(1, kh - pt - pb) + rng.nextInt(0, 9);
          int w = Math.max(1, kw - pl - pr) + rng.nextInt(0, 9);
          return new Dims(
              rng.nextInt(1, 2),
              rng.nextInt(1, 5),
              h,
              w,
              rng.nextInt(1, 6),
              kh,
              kw,
              sh,
              sw,
              pt,
              pb,
              pl,
              pr,
              1,
              1,
              1);
        };
    Property.check(
        "stridedConvolutionsMatchNaive",
        40,
        strided.withEdgeCases(
            List.of(
                new Dims(2, 3, 7, 7, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
                new Dims(1, 2, 8, 8, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
                new Dims(1, 2, 9, 6, 2, 4, 2, 3, 2, 0, 2, 1, 0, 1, 1, 1))),
        d -> {
          Rng rng = new Rng(d.hashCode() + 11L);
          Tensor[] t = tensors(d, rng, rng.nextBoolean());
          t[0].requiresGrad(true);
          t[1].requiresGrad(true);
          Tensor out = Convolution.conv2d(t[0], t[1], t[2], spec(d));
          double[][] want =
              NaiveConv.forward(
                  d, t[0].toArray(), t[1].toArray(), t[2] == null ? null : t[2].toArray());
          NaiveConv.assertClose("out", want[0], want[1], out.toArray());
          Tensor g = Tensor.randn(rng, out.shape());
          out.backward(g);
          float[] dout = g.toArray();
          float[] x = t[0].toArray();
          float[] w = t[1].toArray();
          NaiveConv.assertClose(
              "dx",
              NaiveConv.inputGrad(d, dout, w),
              NaiveConv.inputGradScale(d, dout, w),
              t[0].grad().toArray());
          NaiveConv.assertClose(
              "dw",
              NaiveConv.weightGrad(d, dout, x),
              NaiveConv.weightGradScale(d, dout, x),
              t[1].grad().toArray());
        });
  }
}
