package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolingTest {
  /** One pooling configuration over an input [n, c, h, w]. */
  record Case(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    int outH() {
      return (h + 2 * ph - kh) / sh + 1;
    }

    int outW() {
      return (w + 2 * pw - kw) / sw + 1;
    }
  }

  private static final Gen<Case> CASES = casesGen();

  private static Gen<Case> casesGen() {
    Gen<Case> g =
        (rng, size) -> {
          int kh = rng.nextInt(1, 4);
          int kw = rng.nextInt(1, 4);
          int ph = rng.nextInt(0, kh / 2);
          int pw = rng.nextInt(0, kw / 2);
          int h = Math.max(1, kh - 2 * ph) + rng.nextInt(0, 1 + 5 * size / Property.MAX_SIZE);
          int w = Math.max(1, kw - 2 * pw) + rng.nextInt(0, 1 + 5 * size / Property.MAX_SIZE);
          return new Case(
              rng.nextInt(1, 2),
              rng.nextInt(1, 3),
              h,
              w,
              kh,
              kw,
              rng.nextInt(1, 3),
              rng.nextInt(1, 3),
              ph,
              pw);
        };
    return g.withEdgeCases(
        List.of(
            new Case(1, 1, 1, 1, 1, 1, 1, 1, 0, 0), // 1×1 everything
            new Case(2, 3, 4, 6, 2, 2, 2, 2, 0, 0), // the classic 2×2/2
            new Case(1, 2, 5, 5, 3, 3, 2, 2, 1, 1), // ResNet stem pooling 3×3/2 pad 1
            new Case(1, 1, 3, 4, 2, 3, 1, 1, 1, 1), // overlapping windows with padding
            new Case(1, 2, 2, 2, 1, 1, 3, 3, 0, 0), // stride larger than the kernel
            new Case(1, 1, 1, 3, 3, 3, 1, 1, 1, 1))); // windows mostly padding
  }

  /** Distinct values (a scaled random permutation), so no window holds a tie near the max. */
  private static Tensor distinct(Rng rng, int... shape) {
    int n = dev.kronet.engine.Shapes.numel(shape);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    rng.shuffle(perm);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.1f * (perm[i] - n / 2); // gaps of 0.1 ≫ 2·eps of the finite difference
    }
    return Tensor.wrap(v, shape);
  }

  /** Naive pooling over the padded window; max reads padding as −∞, avg as 0 (divisor kh·kw). */
  private static double[] naivePool(Case k, float[] x, boolean max) {
    double[] out = new double[k.n() * k.c() * k.outH() * k.outW()];
    int o = 0;
    for (int p = 0; p < k.n() * k.c(); p++) {
      for (int oy = 0; oy < k.outH(); oy++) {
        for (int ox = 0; ox < k.outW(); ox++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int ky = 0; ky < k.kh(); ky++) {
            for (int kx = 0; kx < k.kw(); kx++) {
              int iy = oy * k.sh() - k.ph() + ky;
              int ix = ox * k.sw() - k.pw() + kx;
              boolean inside = iy >= 0 && iy < k.h() && ix >= 0 && ix < k.w();
              double v = inside ? x[(p * k.h() + iy) * k.w() + ix] : (max ? acc : 0);
              acc = max ? Math.max(acc, v) : acc + v;
            }
          }
          out[o++] = max ? acc : acc / (k.kh() * k.kw());
        }
      }
    }
    return out;
  }

  private static void assertClose(double[] want, float[] got, double tol) {
    assertEquals(want.length, got.length, "length");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol, "element " + i);
    }
  }

  @Test
  void maxPoolMatchesNaiveWindowMaximum() {
    Property.check(
        "maxPoolMatchesNaiveWindowMaximum",
        40,
        CASES,
        k -> {
          Tensor x = Tensor.randn(new Rng(k.hashCode()), k.n(), k.c(), k.h(), k.w());
          Tensor y = Pooling.maxPool2d(x, k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
          assertArrayEquals(new int[] {k.n(), k.c(), k.outH(), k.outW()}, y.shape());
          assertClose(naivePool(k, x.toArray(), true), y.toArray(), 0);
        });
  }

  @Test
  void avgPoolMatchesNaiveWindowMeanCountingPadding() {
    Property.check(
        "avgPoolMatchesNaiveWindowMeanCountingPadding",
        40,
        CASES,
        k -> {
          Tensor x = Tensor.randn(new Rng(k.hashCode()), k.n(), k.c(), k.h(), k.w());
          Tensor y = Pooling.avgPool2d(x, k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
          assertClose(naivePool(k, x.toArray(), false), y.toArray(), 1e-5);
        });
  }

  @Test
  void poolingGradientsMatchFiniteDifferences() {
    Property.check(
        "poolingGradientsMatchFiniteDifferences",
        30,
        CASES,
        k -> {
          Rng rng = new Rng(k.hashCode() * 3L);
          Tensor x = distinct(rng, k.n(), k.c(), k.h(), k.w()).requiresGrad(true);
          GradCheck.create()
              .check(
                  "maxPool2d " + k,
                  in -> Pooling.maxPool2d(in[0], k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw()),
                  x);
          GradCheck.create()
              .check(
                  "avgPool2d " + k,
                  in -> Pooling.avgPool2d(in[0], k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw()),
                  x);
        });
  }

  @Test
  void maxPoolGradientGoesToTheFirstOfTiedMaxima() {
    Tensor x = Tensor.of(new float[] {1, 3, 3, 0}, 1, 1, 1, 4).requiresGrad(true);
    Tensor y = Pooling.maxPool2d(x, 1, 4, 1, 1, 0, 0);
    y.backward(Tensor.ones(1, 1, 1, 1));
    assertArrayEquals(new float[] {0, 1, 0, 0}, x.grad().toArray());
  }

  @Test
  void adaptiveAvgPoolMatchesPyTorchWindows() {
    Gen<int[]> sizes =
        Gen.<int[]>of(
                (rng, size) ->
                    new int[] {
                      rng.nextInt(1, 2),
                      rng.nextInt(1, 3),
                      rng.nextInt(1, 7),
                      rng.nextInt(1, 7),
                      rng.nextInt(1, 7),
                      rng.nextInt(1, 7)
                    })
            .withEdgeCases(
                List.of(
                    new int[] {1, 1, 5, 7, 3, 2}, // uneven, overlapping windows
                    new int[] {2, 2, 3, 3, 5, 4}, // output larger than input
                    new int[] {1, 2, 6, 6, 1, 1}, // global
                    new int[] {1, 1, 4, 4, 4, 4})); // identity
    Property.check(
        "adaptiveAvgPoolMatchesPyTorchWindows",
        30,
        sizes,
        s -> {
          int n = s[0];
          int c = s[1];
          int h = s[2];
          int w = s[3];
          int oh = s[4];
          int ow = s[5];
          Tensor x =
              Tensor.randn(new Rng(java.util.Arrays.hashCode(s)), n, c, h, w).requiresGrad(true);
          Tensor y = Pooling.adaptiveAvgPool2d(x, oh, ow);
          float[] xv = x.toArray();
          double[] want = new double[n * c * oh * ow];
          int o = 0;
          for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
              int y0 = (int) Math.floor((double) i * h / oh);
              int y1 = (int) Math.ceil((double) (i + 1) * h / oh);
              for (int j = 0; j < ow; j++) {
                int x0 = (int) Math.floor((double) j * w / ow);
                int x1 = (int) Math.ceil((double) (j + 1) * w / ow);
                double sum = 0;
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    sum += xv[(p * h + iy) * w + ix];
                  }
                }
                want[o++] = sum / ((y1 - y0) * (x1 - x0));
              }
            }
          }
          assertClose(want, y.toArray(), 1e-5);
          GradCheck.create()
              .check("adaptiveAvgPool2d", in -> Pooling.adaptiveAvgPool2d(in[0], oh, ow), x);
        });
  }

  @Test
  void globalAvgPoolIsThePlaneMean() {
    Rng rng = new Rng(9);
    Tensor x = Tensor.randn(rng, 2, 3, 4, 5).requiresGrad(true);
    Tensor y = Pooling.globalAvgPool(x);
    assertArrayEquals(new int[] {2, 3}, y.shape());
    float[] xv = x.toArray();
    for (int p = 0; p < 6; p++) {
      double sum = 0;
      for (int i = 0; i < 20; i++) {
        sum += xv[p * 20 + i];
      }
      assertEquals(sum / 20, y.toArray()[p], 1e-6);
    }
    GradCheck.create().check("globalAvgPool", in -> Pooling.globalAvgPool(in[0]), x);
  }

  @Test
  void rejectsBadWindows() {
    Tensor x = Tensor.zeros(1, 1, 4, 4);
    assertMentions(
        assertThrows(KronetException.class, () -> Pooling.maxPool2d(x, 3, 1, 2)),
        "padding 2×2",
        "half the kernel");
    assertMentions(
        assertThrows(KronetException.class, () -> Pooling.avgPool2d(x, 5)),
        "larger than the padded input",
        "[1, 1, 4, 4]");
    assertMentions(
        assertThrows(KronetException.class, () -> Pooling.maxPool2d(Tensor.zeros(4, 4), 2)),
        "input x",
        "[4, 4]");
    assertMentions(
        assertThrows(KronetException.class, () -> Pooling.adaptiveAvgPool2d(x, 0, 2)), "0×2");
  }

  private static void assertMentions(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
  }
}
