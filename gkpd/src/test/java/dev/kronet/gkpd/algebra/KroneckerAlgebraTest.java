package dev.kronet.gkpd.algebra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class KroneckerAlgebraTest {

  @Test
  void matrixKroneckerMatchesEquationOneByHand() {
    DoubleTensor a = DoubleTensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    DoubleTensor b = DoubleTensor.of(new double[] {0, 5, 6, 7}, 2, 2);
    // [[1·B, 2·B], [3·B, 4·B]] written out by hand.
    double[] expected = {
      0, 5, 0, 10, //
      6, 7, 12, 14, //
      0, 15, 0, 20, //
      18, 21, 24, 28
    };
    DoubleTensor w = Kronecker.kron(a, b);
    assertArrayEquals(new int[] {4, 4}, w.shape());
    assertArrayEquals(expected, w.data());
  }

  @Test
  void identityFactorGivesBlockPatterns() {
    DoubleTensor eye = DoubleTensor.of(new double[] {1, 0, 0, 1}, 2, 2);
    DoubleTensor b = DoubleTensor.of(new double[] {1, 2, 3}, 1, 3);
    // I ⊗ B: B on the block diagonal.
    assertArrayEquals(
        new double[] {1, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3}, Kronecker.kron(eye, b).data());
    // B ⊗ I: each element of B scales a copy of I, side by side.
    assertArrayEquals(
        new double[] {1, 0, 2, 0, 3, 0, 0, 1, 0, 2, 0, 3}, Kronecker.kron(b, eye).data());
    // A 4-d delta at (f1, c1, i1, j1) = (1, 0, 0, 1) puts B at W's block starting (2, 0, 0, 3).
    double[] delta = new double[2 * 1 * 1 * 2];
    delta[1 * 2 + 1] = 1;
    DoubleTensor bConv = DoubleTensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 1, 1, 3);
    DoubleTensor w = Kronecker.kron(DoubleTensor.of(delta, 2, 1, 1, 2), bConv);
    assertArrayEquals(new int[] {4, 1, 1, 6}, w.shape());
    assertEquals(1, w.get(2, 0, 0, 3));
    assertEquals(3, w.get(2, 0, 0, 5));
    assertEquals(6, w.get(3, 0, 0, 5));
    assertEquals(91, w.frobeniusNorm() * w.frobeniusNorm(), 1e-12); // 1² + … + 6²
  }

  @Test
  void kronMatchesEquationEightIndexByIndex() {
    Property.check(
        "kronElementIsProductOfQuotientAndRemainderElements",
        40,
        LayoutCase.gen(4, 4),
        c -> {
          Rng rng = c.rng();
          DoubleTensor a = DoubleTensor.randn(rng, c.a());
          DoubleTensor b = DoubleTensor.randn(rng, c.b());
          DoubleTensor w = Kronecker.kron(a, b);
          int[] ws = w.shape();
          int[] i = new int[ws.length];
          int[] j = new int[ws.length];
          int[] k = new int[ws.length];
          for (int flat = 0; flat < w.numel(); flat++) {
            int rem = flat;
            for (int n = ws.length - 1; n >= 0; n--) {
              i[n] = rem % ws[n];
              rem /= ws[n];
              j[n] = i[n] / c.b()[n];
              k[n] = i[n] % c.b()[n];
            }
            assertEquals(a.get(j) * b.get(k), w.get(i), 0.0);
          }
        });
  }

  @Test
  void kronIsBilinear() {
    Property.check(
        "kronIsLinearInEachFactor",
        40,
        LayoutCase.gen(4, 3),
        c -> {
          Rng rng = c.rng();
          DoubleTensor a1 = DoubleTensor.randn(rng, c.a());
          DoubleTensor a2 = DoubleTensor.randn(rng, c.a());
          DoubleTensor b1 = DoubleTensor.randn(rng, c.b());
          DoubleTensor b2 = DoubleTensor.randn(rng, c.b());
          double s = rng.nextGaussian();
          double t = rng.nextGaussian();
          DoubleTensor left = Kronecker.kron(a1.scale(s).plus(a2.scale(t)), b1);
          DoubleTensor right =
              Kronecker.kron(a1, b1).scale(s).plus(Kronecker.kron(a2, b1).scale(t));
          assertTrue(left.maxAbsDifference(right) <= 1e-12, "linear in A");
          left = Kronecker.kron(a1, b1.scale(s).plus(b2.scale(t)));
          right = Kronecker.kron(a1, b1).scale(s).plus(Kronecker.kron(a1, b2).scale(t));
          assertTrue(left.maxAbsDifference(right) <= 1e-12, "linear in B");
        });
  }

  @Test
  void kronIsAssociative() {
    Property.check(
        "kronIsAssociative",
        30,
        LayoutCase.gen(3, 3),
        c -> {
          Rng rng = c.rng();
          int[] cShape = new int[c.a().length];
          for (int n = 0; n < cShape.length; n++) {
            cShape[n] = rng.nextInt(1, 3);
          }
          DoubleTensor a = DoubleTensor.randn(rng, c.a());
          DoubleTensor b = DoubleTensor.randn(rng, c.b());
          DoubleTensor d = DoubleTensor.randn(rng, cShape);
          DoubleTensor left = Kronecker.kron(Kronecker.kron(a, b), d);
          DoubleTensor right = Kronecker.kron(a, Kronecker.kron(b, d));
          assertTrue(left.maxAbsDifference(right) <= 1e-12);
        });
  }

  @Test
  void rearrangementTurnsAKroneckerProductIntoAnOuterProduct() {
    Property.check(
        "rwOfKronIsVecAVecBTransposed",
        40,
        LayoutCase.gen(4, 4),
        c -> {
          Rng rng = c.rng();
          DoubleTensor a = DoubleTensor.randn(rng, c.a());
          DoubleTensor b = DoubleTensor.randn(rng, c.b());
          var m = Rearrangement.rw(Kronecker.kron(a, b), c.layout());
          var outer = new org.ejml.data.DMatrixRMaj(a.numel(), b.numel());
          org.ejml.dense.row.CommonOps_DDRM.multTransB(
              Rearrangement.ra(a), Rearrangement.rb(b), outer);
          assertArrayEquals(outer.data, m.data, 0.0);
          assertEquals(a, Rearrangement.unvec(Rearrangement.ra(a), c.a()));
          assertEquals(b, Rearrangement.unvec(Rearrangement.rb(b), c.b()));
        });
  }

  @Test
  void rearrangementIsAnExactlyInvertibleIsometry() {
    Property.check(
        "rwIsAPermutationWithExactInverse",
        40,
        LayoutCase.gen(4, 4),
        c -> {
          DoubleTensor w = DoubleTensor.randn(c.rng(), c.layout().wShape());
          var m = Rearrangement.rw(w, c.layout());
          assertEquals(c.layout().aSize(), m.numRows);
          assertEquals(c.layout().bSize(), m.numCols);
          assertEquals(w, Rearrangement.rwInverse(m, c.layout()));
          double[] sortedW = w.data();
          double[] sortedM = m.data.clone();
          java.util.Arrays.sort(sortedW);
          java.util.Arrays.sort(sortedM);
          assertArrayEquals(sortedW, sortedM, 0.0);
        });
  }

  @Test
  void sumOfSquaresIsTheSameInBothProblems() {
    Property.check(
        "frobeniusErrorOfElevenEqualsThatOfTwelve",
        40,
        LayoutCase.gen(4, 3),
        c -> {
          Rng rng = c.rng();
          KroneckerLayout layout = c.layout();
          int terms = rng.nextInt(1, 3);
          DoubleTensor w = DoubleTensor.randn(rng, layout.wShape());
          double[] as = DoubleTensor.randn(rng, terms * layout.aSize()).data();
          double[] bs = DoubleTensor.randn(rng, terms * layout.bSize()).data();
          double lhs = w.distance(Kronecker.kronSum(layout, as, bs, terms));
          var approx = new org.ejml.data.DMatrixRMaj(layout.aSize(), layout.bSize());
          for (int r = 0; r < terms; r++) {
            var ar = new org.ejml.data.DMatrixRMaj(layout.aSize(), 1);
            var br = new org.ejml.data.DMatrixRMaj(layout.bSize(), 1);
            System.arraycopy(as, r * layout.aSize(), ar.data, 0, layout.aSize());
            System.arraycopy(bs, r * layout.bSize(), br.data, 0, layout.bSize());
            org.ejml.dense.row.CommonOps_DDRM.multAddTransB(ar, br, approx);
          }
          var diff = new org.ejml.data.DMatrixRMaj(approx.numRows, approx.numCols);
          org.ejml.dense.row.CommonOps_DDRM.subtract(Rearrangement.rw(w, layout), approx, diff);
          double rhs = org.ejml.dense.row.NormOps_DDRM.normF(diff);
          assertEquals(lhs, rhs, 1e-12 * Math.max(1, lhs));
        });
  }

  @Test
  void kroneckerRankIsTheSmallerFactorSize() {
    assertEquals(4, KroneckerLayout.of(new int[] {2, 2}, new int[] {2, 2}).kroneckerRank());
    assertEquals(3, KroneckerLayout.of(new int[] {3, 1}, new int[] {1, 3}).kroneckerRank());
    assertEquals(
        6, KroneckerLayout.of(new int[] {2, 1, 3, 1}, new int[] {4, 4, 1, 1}).kroneckerRank());
  }

  @Test
  void badShapesAreRejectedWithTheShapesInTheMessage() {
    var e =
        assertThrows(
            KronetException.class,
            () -> KroneckerLayout.splitting(new int[] {6, 4}, new int[] {4, 2}));
    assertTrue(e.getMessage().contains(Shapes.format(4, 2)), e.getMessage());
    assertTrue(e.getMessage().contains("divisor of 6"), e.getMessage());
    e =
        assertThrows(
            KronetException.class, () -> KroneckerLayout.of(new int[] {2, 2}, new int[] {2, 2, 1}));
    assertTrue(e.getMessage().contains("same rank"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () ->
                Rearrangement.rw(
                    DoubleTensor.zeros(4, 5),
                    KroneckerLayout.of(new int[] {2, 2}, new int[] {2, 2})));
    assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[4, 4]"));
  }

  @Test
  void splittingDerivesTheBShape() {
    KroneckerLayout l = KroneckerLayout.splitting(new int[] {64, 32, 3, 3}, new int[] {8, 4, 3, 1});
    assertArrayEquals(new int[] {8, 8, 1, 3}, l.bShape());
  }
}
