package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Simd;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearTest {
  private static final int LANES = Math.max(2, Simd.floatLanes());

  record Dims(int n, int in, int out, boolean withBias, long seed) {}

  private static Dims draw(Rng rng, int size) {
    Gen<Integer> d = Gens.ints(1, 9);
    return new Dims(
        d.sample(rng, size),
        d.sample(rng, size),
        d.sample(rng, size),
        rng.nextBoolean(),
        rng.nextLong());
  }

  /** Size 1 everywhere, and the SIMD lane width ± 1 in each GEMM dimension, before random sizes. */
  private static final Gen<Dims> CASES =
      Gen.of(LinearTest::draw)
          .withEdgeCases(
              List.of(
                  new Dims(1, 1, 1, false, 1),
                  new Dims(1, 1, 1, true, 2),
                  new Dims(LANES + 1, LANES, LANES - 1, true, 3),
                  new Dims(LANES - 1, LANES + 1, LANES, false, 4)));

  @Test
  void forwardMatchesTheDefinition() {
    Property.check(
        "linearEqualsXTimesWTransposedPlusB",
        30,
        CASES,
        d -> {
          Rng rng = new Rng(d.seed());
          Tensor x = Tensor.randn(rng, d.n(), d.in());
          Tensor w = Tensor.randn(rng, d.out(), d.in());
          Tensor b = d.withBias() ? Tensor.randn(rng, d.out()) : null;
          float[] y = Linear.linear(x, w, b).toArray();
          for (int i = 0; i < d.n(); i++) {
            for (int o = 0; o < d.out(); o++) {
              double s = b == null ? 0 : b.get(o);
              for (int k = 0; k < d.in(); k++) {
                s += (double) x.get(i, k) * w.get(o, k);
              }
              assertEquals(
                  s, y[i * d.out() + o], 1e-5 * (1 + Math.abs(s)), "y[" + i + "," + o + "]");
            }
          }
        });
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Property.check(
        "linearGradientMatchesFiniteDifferences",
        25,
        CASES,
        d -> {
          Rng rng = new Rng(d.seed());
          Tensor x = Tensor.randn(rng, d.n(), d.in()).requiresGrad(true);
          Tensor w = Tensor.randn(rng, d.out(), d.in()).requiresGrad(true);
          if (d.withBias()) {
            Tensor b = Tensor.randn(rng, d.out()).requiresGrad(true);
            GradCheck.create().check("linear", in -> Linear.linear(in[0], in[1], in[2]), x, w, b);
          } else {
            GradCheck.create().check("linear", in -> Linear.linear(in[0], in[1], null), x, w);
          }
        });
  }

  @Test
  void leadingDimensionsAndViewsAreAccepted() {
    Rng rng = new Rng(3);
    Tensor x = Tensor.randn(rng, 2, 3, 4);
    Tensor w = Tensor.randn(rng, 5, 4);
    Tensor y = Linear.linear(x, w, null);
    assertArrayEquals(new int[] {2, 3, 5}, y.shape());
    Tensor flat = Linear.linear(x.reshape(6, 4), w, null);
    assertArrayEquals(flat.toArray(), y.toArray(), 0f);
    // A transposed (non-contiguous) weight gives the same result as its contiguous copy.
    Tensor wt = Tensor.randn(rng, 4, 5).transpose(0, 1);
    assertArrayEquals(
        Linear.linear(x, wt.contiguous(), null).toArray(),
        Linear.linear(x, wt, null).toArray(),
        0f);
  }

  @Test
  void mismatchedShapesAreRejected() {
    KronetException e =
        assertThrows(
            KronetException.class,
            () -> Linear.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () -> Linear.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("bias"), e.getMessage());
    e =
        assertThrows(
            KronetException.class, () -> Linear.linear(Tensor.zeros(2, 3), Tensor.zeros(3), null));
    assertTrue(e.getMessage().contains("weight"), e.getMessage());
  }
}
