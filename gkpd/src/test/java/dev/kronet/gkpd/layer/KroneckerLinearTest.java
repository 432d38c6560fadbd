package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Linear;
import dev.kronet.engine.ops.OpCounter;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.NearestKronecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class KroneckerLinearTest {

  /** A [R, M1, K1] ⊗ B [R, M2, K2] acting on {@code rows} inputs (as [rows/2, 2, in] when even). */
  record Case(int m1, int k1, int m2, int k2, int rank, int rows, boolean bias, long seed) {
    int in() {
      return k1 * k2;
    }

    int out() {
      return m1 * m2;
    }

    KroneckerLinear layer(Rng rng) {
      return new KroneckerLinear(
          Tensor.randn(rng, rank, m1, k1),
          Tensor.randn(rng, rank, m2, k2),
          bias ? Tensor.randn(rng, out()) : null);
    }

    Tensor x(Rng rng) {
      return rows % 2 == 0 ? Tensor.randn(rng, rows / 2, 2, in()) : Tensor.randn(rng, rows, in());
    }
  }

  private static final Gen<Case> CASES =
      Gen.<Case>of(
              (rng, size) ->
                  new Case(
                      rng.nextInt(1, 4),
                      rng.nextInt(1, 4),
                      rng.nextInt(1, 4),
                      rng.nextInt(1, 4),
                      rng.nextInt(1, 3),
                      rng.nextInt(1, 4),
                      rng.nextInt(0, 1) == 1,
                      rng.nextLong()))
          .withEdgeCases(
              List.of(
                  new Case(1, 1, 1, 1, 1, 1, false, 1),
                  new Case(3, 1, 1, 2, 2, 2, true, 2),
                  new Case(1, 3, 2, 1, 3, 3, true, 3),
                  new Case(2, 2, 3, 3, 2, 4, false, 4)));

  @Test
  void equalsTheDenseLinearOfTheKronSum() {
    Property.check(
        "kroneckerLinearEqualsDense",
        60,
        CASES,
        c -> {
          Rng rng = new Rng(c.seed());
          KroneckerLinear kron = c.layer(rng);
          Linear dense = kron.toDense();
          assertArrayEquals(new int[] {c.out(), c.in()}, dense.weight().shape());
          Tensor x = c.x(rng);
          Tensor y = kron.forward(x);
          double tol = Tolerance.kronecker(c.in(), c.rank(), x, kron.a(), kron.b(), dense.weight());
          assertTrue(Tolerance.maxDiff(y, dense.forward(x)) <= tol);
          long macs;
          try (OpCounter counter = OpCounter.count()) {
            kron.forward(x);
            macs = counter.macs();
          }
          assertEquals(
              (long) c.rows() * c.rank() * (c.k1() * c.m2() * c.k2() + c.m2() * c.m1() * c.k1()),
              macs);
        });
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Property.check(
        "kroneckerLinearGradients",
        20,
        CASES,
        c -> {
          Rng rng = new Rng(c.seed());
          Tensor x = c.x(rng).requiresGrad(true);
          Tensor a = Tensor.randn(rng, c.rank(), c.m1(), c.k1()).requiresGrad(true);
          Tensor b = Tensor.randn(rng, c.rank(), c.m2(), c.k2()).requiresGrad(true);
          Tensor bias = Tensor.randn(rng, c.out()).requiresGrad(true);
          if (c.bias()) {
            GradCheck.create()
                .check(
                    "kronecker linear",
                    in -> KroneckerAffine.linear(in[0], in[1], in[2], in[3]),
                    x,
                    a,
                    b,
                    bias);
          } else {
            GradCheck.create()
                .check(
                    "kronecker linear",
                    in -> KroneckerAffine.linear(in[0], in[1], in[2], null),
                    x,
                    a,
                    b);
          }
        });
  }

  @Test
  void fromLinearHasTheDecompositionErrorAndIsExactAtFullRank() {
    Property.check(
        "fromLinearError",
        30,
        CASES,
        c -> {
          Rng rng = new Rng(c.seed());
          Linear dense = new Linear(c.in(), c.out(), c.bias(), rng);
          int[] as = {c.m1(), c.k1()};
          int[] bs = {c.m2(), c.k2()};
          DoubleTensor w = Weights.toDouble(dense.weight());
          KroneckerDecomposition d = NearestKronecker.decompose(w, as, bs);
          for (int rank = 1; rank <= d.kroneckerRank(); rank++) {
            KroneckerLinear kron = KroneckerLinear.fromLinear(dense, as, bs, rank);
            double measured = kron.denseWeight().distance(w) / w.frobeniusNorm();
            assertEquals(d.relativeError(rank), measured, 1e-5, "rank " + rank);
          }
          KroneckerLinear full = KroneckerLinear.fromLinear(dense, as, bs, d.kroneckerRank());
          Tensor x = c.x(rng);
          double tol =
              Tolerance.kronecker(c.in(), d.kroneckerRank(), x, full.a(), full.b(), dense.weight());
          assertTrue(Tolerance.maxDiff(full.forward(x), dense.forward(x)) <= tol);
        });
  }

  @Test
  void stateDictNamesAndRejections() {
    Rng rng = new Rng(21);
    KroneckerLinear k = KroneckerLinear.random(new int[] {2, 3}, new int[] {4, 5}, 2, true, rng);
    assertEquals(List.of("A", "B", "bias"), List.copyOf(k.stateDict().keySet()));
    assertEquals(2L * (6 + 20) + 8, k.numParameters());
    KroneckerLinear noBias =
        KroneckerLinear.random(new int[] {2, 3}, new int[] {4, 5}, 1, false, rng);
    assertEquals(List.of("A", "B"), List.copyOf(noBias.stateDict().keySet()));
    assertThrows(KronetException.class, () -> k.forward(Tensor.zeros(2, 14)));
    assertThrows(
        KronetException.class,
        () ->
            KroneckerLinear.fromLinear(
                new Linear(6, 8, false, rng), new int[] {2, 2}, new int[] {4, 2}, 1));
    assertThrows(
        KronetException.class,
        () -> new KroneckerLinear(Tensor.zeros(1, 2, 3), Tensor.zeros(2, 4, 5), null));
  }
}
