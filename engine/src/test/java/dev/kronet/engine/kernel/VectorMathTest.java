package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SIMD elementwise kernels equal their scalar twins bitwise (same IEEE operations), over
 * lengths around the lane width and random offsets, leaving memory outside the range untouched; sum
 * and dot agree within their float-blocking error bound. The public facade is checked against plain
 * definitions, so it holds whichever twin runs.
 */
class VectorMathTest {
  private static final double UNIT_ROUNDOFF = 0x1.0p-24;

  /** A length, offsets for three arrays, a seed; edge lengths 0, 1, lanes ± 1, 2·lanes + 1. */
  record Case(int n, int off0, int off1, int off2, long seed) {
    float[] array(int which, int off) {
      Rng rng = new Rng(seed + which);
      float[] v = new float[off + n + 5];
      for (int i = 0; i < v.length; i++) {
        // Mostly N(0, 1), with the special values ReLU must get right mixed in.
        int pick = rng.nextInt(20);
        v[i] =
            switch (pick) {
              case 0 -> 0f;
              case 1 -> -0f;
              case 2 -> Float.NaN;
              default -> (float) rng.nextGaussian();
            };
      }
      return v;
    }

    float[] finiteArray(int which, int off) {
      float[] v = array(which, off);
      for (int i = 0; i < v.length; i++) {
        if (Float.isNaN(v[i])) {
          v[i] = 1.5f;
        }
      }
      return v;
    }
  }

  private static Gen<Case> cases() {
    Gen<Integer> lengths = Gens.ints(0, 1000);
    int lanes = Simd.floatLanes();
    Gen<Case> g =
        (rng, size) ->
            new Case(
                lengths.sample(rng, size),
                rng.nextInt(0, 17),
                rng.nextInt(0, 17),
                rng.nextInt(0, 17),
                rng.nextLong());
    List<Case> edges = new ArrayList<>();
    long seed = 3;
    for (int n : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 257, 1000}) {
      edges.add(new Case(Math.max(0, n), 0, 0, 0, seed++));
      edges.add(new Case(Math.max(0, n), 3, 1, 7, seed++));
    }
    return g.withEdgeCases(edges);
  }

  @Test
  void simdElementwiseKernelsEqualScalarTwinsBitwise() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
    Property.check(
        "elementwiseSimdEqualsScalar",
        60,
        cases(),
        c -> {
          int n = c.n();
          float[] a = c.array(0, c.off1());
          float[] b = c.array(1, c.off2());
          float alpha = (float) new Rng(c.seed()).nextGaussian();
          float[] y1 = c.array(2, c.off0());
          float[] y2 = y1.clone();
          VectorMathSimd.axpy(y1, c.off0(), alpha, a, c.off1(), n);
          VectorMathScalar.axpy(y2, c.off0(), alpha, a, c.off1(), n);
          assertArrayEquals(y2, y1, 0f, "axpy");
          float[] out1 = c.array(3, c.off0());
          float[] out2 = out1.clone();
          VectorMathSimd.add(out1, c.off0(), a, c.off1(), b, c.off2(), n);
          VectorMathScalar.add(out2, c.off0(), a, c.off1(), b, c.off2(), n);
          assertArrayEquals(out2, out1, 0f, "add");
          VectorMathSimd.sub(out1, c.off0(), a, c.off1(), b, c.off2(), n);
          VectorMathScalar.sub(out2, c.off0(), a, c.off1(), b, c.off2(), n);
          assertArrayEquals(out2, out1, 0f, "sub");
          VectorMathSimd.mul(out1, c.off0(), a, c.off1(), b, c.off2(), n);
          VectorMathScalar.mul(out2, c.off0(), a, c.off1(), b, c.off2(), n);
          assertArrayEquals(out2, out1, 0f, "mul");
          VectorMathSimd.scale(out1, c.off0(), alpha, a, c.off1(), n);
          VectorMathScalar.scale(out2, c.off0(), alpha, a, c.off1(), n);
          assertArrayEquals(out2, out1, 0f, "scale");
          VectorMathSimd.reluForward(out1, c.off0(), a, c.off1(), n);
          VectorMathScalar.reluForward(out2, c.off0(), a, c.off1(), n);
          assertArrayEquals(out2, out1, 0f, "reluForward");
          VectorMathSimd.reluBackward(out1, c.off0(), b, c.off2(), a, c.off1(), n);
          VectorMathScalar.reluBackward(out2, c.off0(), b, c.off2(), a, c.off1(), n);
          assertArrayEquals(out2, out1, 0f, "reluBackward");
        });
  }

  /**
   * The SIMD sum adds each lane's share of a {@code BLOCK}-element block in float (≤ BLOCK/L
   * additions per lane), reduces L lanes (≤ L additions), then adds blocks in double; the scalar
   * twin accumulates in double. So they differ by at most (BLOCK/L + L + 1)·u·Σ|terms| (the usual
   * recursive-summation bound, Higham §4.2), where a term is x[i] or x[i]·y[i] (the fused
   * multiply-add does not round the product).
   */
  @Test
  void simdSumAndDotAgreeWithScalarTwinsWithinTheBlockingBound() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
    int lanes = Simd.floatLanes();
    double factor = (VectorMathSimd.BLOCK / lanes + lanes + 1) * UNIT_ROUNDOFF;
    Property.check(
        "sumAndDotSimdMatchScalar",
        60,
        cases(),
        c -> {
          float[] x = c.finiteArray(0, c.off1());
          float[] y = c.finiteArray(1, c.off2());
          double absSum = 0;
          double absDot = 0;
          for (int i = 0; i < c.n(); i++) {
            absSum += Math.abs(x[c.off1() + i]);
            absDot += Math.abs((double) x[c.off1() + i] * y[c.off2() + i]);
          }
          assertEquals(
              VectorMathScalar.sum(x, c.off1(), c.n()),
              VectorMathSimd.sum(x, c.off1(), c.n()),
              factor * absSum,
              "sum");
          assertEquals(
              VectorMathScalar.dot(x, c.off1(), y, c.off2(), c.n()),
              VectorMathSimd.dot(x, c.off1(), y, c.off2(), c.n()),
              factor * absDot,
              "dot");
        });
  }

  @Test
  void facadeFollowsTheDefinitions() {
    float[] x = {-2f, -0f, 0f, 3f, Float.NaN, 0.5f, -1f, 4f};
    float[] y = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
    VectorMath.axpy(y, 0, 2f, x, 0, 4);
    assertArrayEquals(new float[] {-3f, 1f, 1f, 7f, 1f, 1f, 1f, 1f}, y, 0f, "axpy on 4 of 8");
    float[] out = new float[8];
    VectorMath.reluForward(out, 0, x, 0, 8);
    assertArrayEquals(new float[] {0f, 0f, 0f, 3f, Float.NaN, 0.5f, 0f, 4f}, out, 0f, "relu");
    assertEquals(0, Float.floatToRawIntBits(out[1]), "relu(-0) is +0");
    float[] grad = {9f, 9f, 9f, 9f, 9f, 9f, 9f, 9f};
    VectorMath.reluBackward(out, 0, grad, 0, x, 0, 8);
    // at NaN the gradient passes, as PyTorch's threshold_backward (x ≤ 0 ? 0 : g) lets it
    assertArrayEquals(new float[] {0f, 0f, 0f, 9f, 9f, 9f, 0f, 9f}, out, 0f, "relu mask");
    float[] a = {1f, 2f, 3f};
    float[] b = {4f, 5f, 6f};
    float[] r = new float[3];
    VectorMath.add(r, 0, a, 0, b, 0, 3);
    assertArrayEquals(new float[] {5f, 7f, 9f}, r, 0f, "add");
    VectorMath.sub(r, 0, a, 0, b, 0, 3);
    assertArrayEquals(new float[] {-3f, -3f, -3f}, r, 0f, "sub");
    VectorMath.mul(r, 0, a, 0, b, 0, 3);
    assertArrayEquals(new float[] {4f, 10f, 18f}, r, 0f, "mul");
    VectorMath.scale(r, 1, -2f, a, 0, 2);
    assertArrayEquals(new float[] {4f, -2f, -4f}, r, 0f, "scale into offset 1");
    assertEquals(6.0, VectorMath.sum(a, 0, 3), 0.0, "sum");
    assertEquals(32.0, VectorMath.dot(a, 0, b, 0, 3), 0.0, "dot");
    float[] ones = new float[1001];
    Arrays.fill(ones, 1f);
    assertEquals(1000.0, VectorMath.sum(ones, 1, 1000), 0.0, "sum of 1000 ones");
    assertEquals(1000.0, VectorMath.dot(ones, 0, ones, 1, 1000), 0.0, "dot of 1000 ones");
  }
}
