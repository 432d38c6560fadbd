package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.RowMix;
import dev.kronet.engine.kernel.Simd;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ChannelMix against its definition, finite differences, and its kernels' scalar twins. */
class ChannelMixTest {
  private static final int LANES = Simd.floatLanes();

  record Dims(int n, int c, int k, int m, int p) {}

  /**
   * Output rows on both sides of the 4-row block, dot-product blocks of 2×4 with tails, positions
   * on both sides of the vector width.
   */
  private static final Gen<Dims> CASES =
      Gen.<Dims>of(
              (rng, size) ->
                  new Dims(
                      rng.nextInt(1, 3),
                      rng.nextInt(1, 4),
                      rng.nextInt(1, 7),
                      rng.nextInt(1, 10),
                      rng.nextInt(1, 3 * LANES + 3)))
          .withEdgeCases(
              List.of(
                  new Dims(1, 1, 1, 1, 1),
                  new Dims(2, 3, 4, 12, 4 * LANES),
                  new Dims(1, 2, 5, 5, LANES + 1),
                  new Dims(3, 1, 2, 3, LANES - 1 > 0 ? LANES - 1 : 1)));

  @Test
  void forwardMatchesTheDefinition() {
    Property.check(
        "channelMixMatchesDefinition",
        40,
        CASES,
        d -> {
          Rng rng = new Rng(d.hashCode());
          Tensor w = Tensor.randn(rng, d.m(), d.k());
          Tensor x = Tensor.randn(rng, d.n(), d.c(), d.k(), d.p());
          float[] out = ChannelMix.mix(w, x).toArray();
          for (int n = 0; n < d.n(); n++) {
            for (int m = 0; m < d.m(); m++) {
              for (int c = 0; c < d.c(); c++) {
                for (int p = 0; p < d.p(); p++) {
                  double s = 0;
                  double abs = 0;
                  for (int k = 0; k < d.k(); k++) {
                    double t = (double) w.get(m, k) * x.get(n, c, k, p);
                    s += t;
                    abs += Math.abs(t);
                  }
                  int o = ((n * d.m() + m) * d.c() + c) * d.p() + p;
                  assertEquals(
                      s, out[o], 1e-6 * (1 + abs), "out[" + n + "," + m + "," + c + "," + p + "]");
                }
              }
            }
          }
        });
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Property.check(
        "channelMixGradientsMatchFiniteDifferences",
        20,
        CASES,
        d -> {
          Rng rng = new Rng(d.hashCode() + 1L);
          Tensor w = Tensor.randn(rng, d.m(), d.k()).requiresGrad(true);
          Tensor x = Tensor.randn(rng, d.n(), d.c(), d.k(), d.p()).requiresGrad(true);
          GradCheck.create().check("channelMix", in -> ChannelMix.mix(in[0], in[1]), w, x);
        });
  }

  @Test
  void simdKernelsMatchScalarTwins() {
    Property.check(
        "rowMixSimdMatchesScalar",
        40,
        CASES,
        d -> {
          Rng rng = new Rng(d.hashCode() + 2L);
          int stride = d.p() + 3;
          float[] w = Tensor.randn(rng, d.m(), d.k()).toArray();
          float[] in = Tensor.randn(rng, d.k() * stride + 5).toArray();
          float[] simd = new float[d.m() * stride + 7];
          float[] scalar = simd.clone();
          RowMix.apply(w, d.m(), d.k(), in, 2, stride, simd, 1, stride, d.p(), Simd.ENABLED);
          RowMix.apply(w, d.m(), d.k(), in, 2, stride, scalar, 1, stride, d.p(), false);
          assertClose(scalar, simd, "apply");
          // dots of the m output rows with the k input rows, lane partials summed
          float[] a = Tensor.randn(rng, d.m() * stride).toArray();
          int lanes = Simd.ENABLED ? LANES : 1;
          float[] accSimd = new float[d.m() * d.k() * lanes];
          float[] accScalar = new float[d.m() * d.k()];
          RowMix.dots(a, 0, stride, d.m(), in, 2, stride, d.k(), d.p(), accSimd, Simd.ENABLED);
          RowMix.dots(a, 0, stride, d.m(), in, 2, stride, d.k(), d.p(), accScalar, false);
          float[] summed = new float[accScalar.length];
          for (int e = 0; e < summed.length; e++) {
            for (int l = 0; l < lanes; l++) {
              summed[e] += accSimd[e * lanes + l];
            }
          }
          assertClose(accScalar, summed, "dots");
        });
  }

  @Test
  void rejectsMismatchedShapesNamingThem() {
    Tensor w = Tensor.zeros(3, 4);
    KronetException e =
        assertThrows(KronetException.class, () -> ChannelMix.mix(w, Tensor.zeros(2, 2, 5, 7)));
    assertEquals(
        "channelMix: x must be [N, C, K, P] with K = 4 (the columns of w [3, 4]), got shape"
            + " [2, 2, 5, 7]",
        e.getMessage());
  }

  private static void assertClose(float[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), what + "[" + i + "]");
    }
  }
}
