package dev.kronet.gkpd.decompose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import dev.kronet.gkpd.algebra.LayoutCase;
import org.junit.jupiter.api.Test;

class NearestKroneckerTest {

  private static KroneckerDecomposition decompose(LayoutCase c, DoubleTensor w) {
    return NearestKronecker.decompose(w, c.a(), c.b());
  }

  @Test
  void fullKroneckerRankReconstructsW() {
    Property.check(
        "fullKroneckerRankReconstructsW",
        40,
        LayoutCase.gen(4, 4),
        c -> {
          DoubleTensor w = DoubleTensor.randn(c.rng(), c.layout().wShape());
          KroneckerDecomposition d = decompose(c, w);
          int full = d.kroneckerRank();
          assertEquals(c.layout().kroneckerRank(), d.singularValues().length);
          double rel = w.distance(d.reconstruct(full)) / w.frobeniusNorm();
          assertTrue(rel <= 1e-10, "relative error " + rel);
          assertEquals(0.0, d.relativeError(full));
        });
  }

  @Test
  void reconstructionErrorEqualsSingularValueTail() {
    Property.check(
        "reconstructionErrorEqualsSingularValueTail",
        40,
        LayoutCase.gen(4, 4),
        c -> {
          DoubleTensor w = DoubleTensor.randn(c.rng(), c.layout().wShape());
          KroneckerDecomposition d = decompose(c, w);
          double[] s = d.singularValues();
          for (int r = 0; r <= d.kroneckerRank(); r++) {
            double tail = 0;
            for (int i = r; i < s.length; i++) {
              tail += s[i] * s[i];
            }
            double expected = Math.sqrt(tail) / w.frobeniusNorm();
            double actual = w.distance(d.reconstruct(r)) / w.frobeniusNorm();
            assertEquals(expected, d.relativeError(r), 1e-12);
            assertEquals(expected, actual, 1e-10, "rank " + r);
            if (r > 0) {
              assertTrue(s[r - 1] >= 0 && (r == s.length || s[r - 1] >= s[r]), "descending");
              assertTrue(d.relativeError(r) <= d.relativeError(r - 1), "monotone in rank");
            }
          }
        });
  }

  @Test
  void noOtherFactorsOfTheSameRankDoBetter() {
    Property.check(
        "eckartYoungOptimalityAgainstPerturbedAndRandomFactors",
        30,
        LayoutCase.gen(4, 3),
        c -> {
          Rng rng = c.rng();
          KroneckerLayout layout = c.layout();
          DoubleTensor w = DoubleTensor.randn(rng, layout.wShape());
          KroneckerDecomposition d = decompose(c, w);
          int rank = rng.nextInt(1, d.kroneckerRank());
          double best = d.absoluteError(rank);
          double[] as = d.factorsA(rank);
          double[] bs = d.factorsB(rank);
          for (int trial = 0; trial < 20; trial++) {
            double eps = trial < 10 ? 1e-3 : 1e-1;
            double[] pa = as.clone();
            double[] pb = bs.clone();
            for (int i = 0; i < pa.length; i++) {
              pa[i] += eps * rng.nextGaussian();
            }
            for (int i = 0; i < pb.length; i++) {
              pb[i] += eps * rng.nextGaussian();
            }
            double perturbed = w.distance(Kronecker.kronSum(layout, pa, pb, rank));
            assertTrue(perturbed >= best - 1e-12, "perturbed " + perturbed + " < optimum " + best);
            double[] ra = DoubleTensor.randn(rng, pa.length).data();
            double[] rb = DoubleTensor.randn(rng, pb.length).data();
            double random = w.distance(Kronecker.kronSum(layout, ra, rb, rank));
            assertTrue(random >= best - 1e-12, "random " + random + " < optimum " + best);
          }
        });
  }

  @Test
  void aSumOfFewKroneckerProductsIsRecoveredWithThatManyTerms() {
    Property.check(
        "lowKroneckerRankTensorHasZeroTail",
        30,
        LayoutCase.gen(4, 3).filter(c -> c.layout().kroneckerRank() >= 2),
        c -> {
          Rng rng = c.rng();
          KroneckerLayout layout = c.layout();
          int k = rng.nextInt(1, layout.kroneckerRank() - 1);
          double[] as = DoubleTensor.randn(rng, k * layout.aSize()).data();
          double[] bs = DoubleTensor.randn(rng, k * layout.bSize()).data();
          DoubleTensor w = Kronecker.kronSum(layout, as, bs, k);
          KroneckerDecomposition d = NearestKronecker.decompose(w, layout);
          assertTrue(d.relativeError(k) <= 1e-10, "error at rank " + k + ": " + d.relativeError(k));
          assertTrue(w.distance(d.reconstruct(k)) <= 1e-10 * w.frobeniusNorm());
          if (k >= 1) {
            assertTrue(d.relativeError(k - 1) > 1e-6, "rank " + (k - 1) + " cannot be exact");
          }
        });
  }

  @Test
  void stackedFactorsUseTheKroneckerConvLayoutAndBalanceTheSingularValue() {
    Property.check(
        "stackedFactorsAreTheTermsInOrder",
        30,
        LayoutCase.gen(4, 3),
        c -> {
          DoubleTensor w = DoubleTensor.randn(c.rng(), c.layout().wShape());
          KroneckerDecomposition d = decompose(c, w);
          int rank = d.kroneckerRank();
          double[] as = d.factorsA(rank);
          double[] bs = d.factorsB(rank);
          float[] af = d.factorsAFloat(rank);
          assertEquals(as.length, af.length);
          assertEquals(rank, d.factorsAShape(rank)[0]);
          assertArrayEquals(
              c.a(), java.util.Arrays.copyOfRange(d.factorsAShape(rank), 1, c.a().length + 1));
          double[] s = d.singularValues();
          int na = c.layout().aSize();
          int nb = c.layout().bSize();
          for (int i = 0; i < rank; i++) {
            DoubleTensor ai = d.factorA(i);
            DoubleTensor bi = d.factorB(i);
            assertArrayEquals(ai.data(), java.util.Arrays.copyOfRange(as, i * na, (i + 1) * na));
            assertArrayEquals(bi.data(), java.util.Arrays.copyOfRange(bs, i * nb, (i + 1) * nb));
            assertEquals(Math.sqrt(s[i]), ai.frobeniusNorm(), 1e-10);
            assertEquals(Math.sqrt(s[i]), bi.frobeniusNorm(), 1e-10);
          }
          for (int i = 0; i < af.length; i++) {
            assertEquals((float) as[i], af[i]);
          }
        });
  }

  @Test
  void spectrumAloneAgreesWithTheFullDecomposition() {
    Property.check(
        "valuesOnlySvdMatchesFullSvd",
        30,
        LayoutCase.gen(4, 4),
        c -> {
          DoubleTensor w = DoubleTensor.randn(c.rng(), c.layout().wShape());
          KroneckerDecomposition d = decompose(c, w);
          KroneckerSpectrum s = NearestKronecker.spectrum(w, c.layout());
          assertEquals(d.kroneckerRank(), s.kroneckerRank());
          double scale = Math.max(1e-300, d.singularValues()[0]);
          assertArrayEquals(d.singularValues(), s.singularValues(), 1e-12 * scale);
          for (int r = 0; r <= d.kroneckerRank(); r++) {
            assertEquals(d.relativeError(r), s.relativeError(r), 1e-12);
          }
        });
  }

  @Test
  void decompositionIsDeterministic() {
    DoubleTensor w = DoubleTensor.randn(new Rng(7), 4, 6, 3, 3);
    var d1 = NearestKronecker.decompose(w, new int[] {2, 3, 3, 1}, new int[] {2, 2, 1, 3});
    var d2 = NearestKronecker.decompose(w, new int[] {2, 3, 3, 1}, new int[] {2, 2, 1, 3});
    assertArrayEquals(d1.factorsA(3), d2.factorsA(3));
    assertArrayEquals(d1.factorsB(3), d2.factorsB(3));
  }

  @Test
  void zeroTensorHasZeroRelativeError() {
    var d =
        NearestKronecker.decompose(DoubleTensor.zeros(2, 2), new int[] {1, 2}, new int[] {2, 1});
    assertEquals(0.0, d.relativeError(0));
    assertEquals(0.0, d.reconstruct(1).frobeniusNorm());
  }

  @Test
  void rankOutsideTheKroneckerRankIsRejected() {
    var d =
        NearestKronecker.decompose(
            DoubleTensor.randn(new Rng(1), 4, 4), new int[] {2, 2}, new int[] {2, 2});
    var e = assertThrows(KronetException.class, () -> d.factorsA(5));
    assertTrue(e.getMessage().contains("[0, 4]"), e.getMessage());
    assertThrows(KronetException.class, () -> d.relativeError(-1));
  }
}
