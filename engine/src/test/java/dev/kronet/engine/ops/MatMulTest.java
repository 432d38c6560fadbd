package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class MatMulTest {
  /** Dimensions [M, K, N] with lane-width edge cases. */
  private static Gen<int[]> dims(int max) {
    Gen<Integer> d = Gens.ints(1, max);
    return Gen.zip(
        Gen.zip(d, d, (m, k) -> new int[] {m, k}), d, (mk, n) -> new int[] {mk[0], mk[1], n});
  }

  /** C[i][j] = Σ_p A[i][p]·B[p][j] in double, reading through get() so any layout works. */
  private static float[] naive(Tensor a, Tensor b) {
    int m = a.size(0);
    int k = a.size(1);
    int n = b.size(1);
    float[] c = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a.get(i, p) * b.get(p, j);
        }
        c[i * n + j] = (float) s;
      }
    }
    return c;
  }

  private static void assertClose(float[] expected, float[] got, String what) {
    assertEquals(expected.length, got.length, what);
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], 1e-5f * (1 + Math.abs(expected[i])), what + " " + i);
    }
  }

  @Test
  void mmMatchesANaiveLoopForEveryOperandLayout() {
    Property.check(
        "mmMatchesANaiveLoopForEveryOperandLayout",
        40,
        dims(17),
        mkn -> {
          int m = mkn[0];
          int k = mkn[1];
          int n = mkn[2];
          Rng rng = OpsTesting.rngFor(mkn);
          Tensor a = Tensor.randn(rng, m, k);
          Tensor b = Tensor.randn(rng, k, n);
          float[] ref = naive(a, b);
          assertClose(ref, MatMul.mm(a, b).toArray(), "row-major");
          // Transposed views are passed to the GEMM with trans flags, not copied.
          Tensor at = Tensor.randn(rng, k, m).transpose(0, 1);
          Tensor bt = Tensor.randn(rng, n, k).transpose(0, 1);
          assertClose(naive(at, bt), MatMul.mm(at, bt).toArray(), "transposed");
          // A column slice has a row stride larger than its width; a stepped view gets copied.
          Tensor wide = Tensor.randn(rng, m, k + 3).slice(1, 2, k + 2);
          assertClose(naive(wide, b), MatMul.mm(wide, b).toArray(), "sliced");
          Tensor expanded = Tensor.randn(rng, 1, n).expand(k, n);
          assertClose(naive(a, expanded), MatMul.mm(a, expanded).toArray(), "expanded");
        });
  }

  @Test
  void bmmMatchesOneMmPerBatch() {
    Property.check(
        "bmmMatchesOneMmPerBatch",
        20,
        dims(9),
        mkn -> {
          Rng rng = OpsTesting.rngFor(mkn);
          int batch = 1 + rng.nextInt(3);
          Tensor a = Tensor.randn(rng, batch, mkn[0], mkn[1]);
          Tensor b = Tensor.randn(rng, batch, mkn[2], mkn[1]).transpose(1, 2);
          Tensor c = MatMul.bmm(a, b);
          assertArrayEquals(new int[] {batch, mkn[0], mkn[2]}, c.shape());
          for (int i = 0; i < batch; i++) {
            Tensor ai = a.slice(0, i, i + 1).squeeze(0);
            Tensor bi = b.slice(0, i, i + 1).squeeze(0);
            assertClose(naive(ai, bi), c.slice(0, i, i + 1).toArray(), "batch " + i);
          }
        });
  }

  @Test
  void productGradientsMatchFiniteDifferences() {
    Property.check(
        "productGradientsMatchFiniteDifferences",
        20,
        dims(5),
        mkn -> {
          int m = mkn[0];
          int k = mkn[1];
          int n = mkn[2];
          Rng rng = OpsTesting.rngFor(mkn);
          Tensor a = Tensor.randn(rng, m, k).requiresGrad(true);
          Tensor b = Tensor.randn(rng, k, n).requiresGrad(true);
          GradCheck gc = GradCheck.create();
          gc.check("mm", in -> MatMul.mm(in[0], in[1]), a, b);
          gc.check(
              "mm of transposed views",
              in -> MatMul.mm(in[1].transpose(0, 1), in[0].transpose(0, 1)),
              a,
              b);
          Tensor a3 = Tensor.randn(rng, 2, m, k).requiresGrad(true);
          Tensor b3 = Tensor.randn(rng, 2, k, n).requiresGrad(true);
          gc.check("bmm", in -> MatMul.bmm(in[0], in[1]), a3, b3);
          gc.check("matmul batch·matrix", in -> MatMul.matmul(in[0], in[1]), a3, b);
          gc.check("matmul matrix·batch", in -> MatMul.matmul(in[0], in[1]), a, b3);
          Tensor v = Tensor.randn(rng, k).requiresGrad(true);
          Tensor w = Tensor.randn(rng, k).requiresGrad(true);
          gc.check("matmul vector·vector", in -> MatMul.matmul(in[0], in[1]), v, w);
          gc.check("matmul matrix·vector", in -> MatMul.matmul(in[0], in[1]), a, v);
          gc.check("matmul vector·matrix", in -> MatMul.matmul(in[0], in[1]), v, b);
        });
  }

  @Test
  void matmulFollowsTorchShapeRules() {
    Rng rng = new Rng(5);
    assertArrayEquals(new int[] {}, shapeOf(rng, new int[] {3}, new int[] {3}));
    assertArrayEquals(new int[] {2}, shapeOf(rng, new int[] {2, 3}, new int[] {3}));
    assertArrayEquals(new int[] {4}, shapeOf(rng, new int[] {3}, new int[] {3, 4}));
    assertArrayEquals(new int[] {5, 2, 4}, shapeOf(rng, new int[] {5, 2, 3}, new int[] {3, 4}));
    assertArrayEquals(new int[] {5, 2}, shapeOf(rng, new int[] {5, 2, 3}, new int[] {3}));
    assertArrayEquals(
        new int[] {2, 3, 2, 4}, shapeOf(rng, new int[] {2, 1, 2, 3}, new int[] {3, 3, 4}));
    // Broadcast batch: every batch of the result is the product with the one broadcast matrix.
    Tensor a = Tensor.randn(rng, 3, 2, 4);
    Tensor b = Tensor.randn(rng, 1, 4, 2);
    Tensor c = MatMul.matmul(a, b);
    for (int i = 0; i < 3; i++) {
      assertClose(
          naive(a.slice(0, i, i + 1).squeeze(0), b.squeeze(0)),
          c.slice(0, i, i + 1).toArray(),
          "batch " + i);
    }
    assertClose(MatMul.matmul(a, b).toArray(), a.matmul(b).toArray(), "Tensor.matmul");
  }

  private static int[] shapeOf(Rng rng, int[] as, int[] bs) {
    return MatMul.matmul(Tensor.randn(rng, as), Tensor.randn(rng, bs)).shape();
  }

  @Test
  void mismatchedInnerDimensionsAreRejectedNamingBothShapes() {
    Tensor a = Tensor.zeros(2, 3);
    Tensor b = Tensor.zeros(4, 5);
    for (KronetException e :
        new KronetException[] {
          assertThrows(KronetException.class, () -> MatMul.matmul(a, b)),
          assertThrows(KronetException.class, () -> MatMul.mm(a, b)),
          assertThrows(
              KronetException.class,
              () -> MatMul.bmm(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 2))),
        }) {
      String msg = e.getMessage();
      assertTrue(msg.contains("[2, 3]") || msg.contains("[2, 2, 3]"), msg);
      assertTrue(msg.contains("[4, 5]") || msg.contains("[3, 3, 2]"), msg);
    }
  }
}
