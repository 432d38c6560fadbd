package dev.kronet.gkpd.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.NearestKronecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  record Case(ConvShape shape, long seed) {
    DoubleTensor weight() {
      return DoubleTensor.randn(new Rng(seed), shape.toArray());
    }
  }

  static final Gen<Case> CASES =
      Gen.<Case>of(
              (rng, size) ->
                  new Case(
                      new ConvShape(
                          rng.nextInt(1, 8),
                          rng.nextInt(1, 5),
                          rng.nextInt(1, 3),
                          rng.nextInt(1, 3)),
                      rng.nextLong()))
          .withEdgeCases(
              List.of(
                  new Case(new ConvShape(1, 1, 1, 1), 1),
                  new Case(new ConvShape(8, 1, 3, 3), 2),
                  new Case(new ConvShape(1, 4, 3, 3), 3),
                  new Case(new ConvShape(6, 3, 1, 1), 4)));

  @Test
  void truncatedSvdErrorIsTheSingularValueTailAndMatchesItsConvs() {
    Property.check(
        "svdErrorEqualsTailAndTwoConvsComposeToTheApproximation",
        30,
        CASES,
        c -> {
          DoubleTensor w = c.weight();
          TruncatedSvd svd = TruncatedSvd.decompose(w);
          assertEquals(
              Math.min(c.shape().f(), c.shape().c() * c.shape().kh() * c.shape().kw()),
              svd.maxRank());
          for (int r = 1; r <= svd.maxRank(); r++) {
            double direct = w.distance(svd.reconstruct(r)) / w.frobeniusNorm();
            assertEquals(direct, svd.relativeError(r), 1e-10, "rank " + r);
            assertArrayEquals(
                new int[] {r, c.shape().c(), c.shape().kh(), c.shape().kw()},
                svd.firstConv(r).shape());
            assertArrayEquals(new int[] {c.shape().f(), r, 1, 1}, svd.secondConv(r).shape());
          }
          assertTrue(svd.relativeError(svd.maxRank()) <= 1e-10);
        });
  }

  @Test
  void truncatedSvdIsTheGkpdWithAOfOutputChannelsOnly() {
    Property.check(
        "svdEqualsGkpdWithAFx1x1x1",
        30,
        CASES,
        c -> {
          DoubleTensor w = c.weight();
          ConvShape s = c.shape();
          TruncatedSvd svd = TruncatedSvd.decompose(w);
          KroneckerDecomposition kpd =
              NearestKronecker.decompose(
                  w, new int[] {s.f(), 1, 1, 1}, new int[] {1, s.c(), s.kh(), s.kw()});
          assertArrayEquals(svd.singularValues(), kpd.singularValues(), 1e-10);
          for (int r = 1; r <= svd.maxRank(); r++) {
            assertEquals(svd.relativeError(r), kpd.relativeError(r), 1e-12);
            assertTrue(svd.reconstruct(r).maxAbsDifference(kpd.reconstruct(r)) <= 1e-10);
            assertEquals(
                svd.params(r),
                dev.kronet.gkpd.cost.ConvCost.kroneckerParams(
                    new ConvShape(s.f(), 1, 1, 1), new ConvShape(1, s.c(), s.kh(), s.kw()), r));
          }
        });
  }

  @Test
  void tucker2ErrorFromTheCoreMatchesItsReconstruction() {
    Property.check(
        "tuckerCoreErrorEqualsReconstructionError",
        30,
        CASES,
        c -> {
          DoubleTensor w = c.weight();
          Tucker2 t = Tucker2.decompose(w);
          for (int rc = 1; rc <= t.maxRankC(); rc++) {
            for (int rf = 1; rf <= t.maxRankF(); rf++) {
              double direct = w.distance(t.reconstruct(rc, rf)) / w.frobeniusNorm();
              assertEquals(direct, t.relativeError(rc, rf), 1e-7, "ranks " + rc + ", " + rf);
            }
          }
          double full = w.distance(t.reconstruct(t.maxRankC(), t.maxRankF())) / w.frobeniusNorm();
          assertTrue(full <= 1e-10, "full ranks give " + full);
        });
  }

  @Test
  void tucker2WithAllInputChannelsIsTheTruncatedSvd() {
    Property.check(
        "tuckerWithFullChannelRankEqualsSvd",
        30,
        CASES.filter(c -> c.shape().c() <= c.shape().f() * c.shape().kh() * c.shape().kw()),
        c -> {
          DoubleTensor w = c.weight();
          Tucker2 t = Tucker2.decompose(w);
          TruncatedSvd svd = TruncatedSvd.decompose(w);
          for (int r = 1; r <= svd.maxRank(); r++) {
            assertEquals(svd.relativeError(r), t.relativeError(c.shape().c(), r), 1e-7);
          }
        });
  }

  @Test
  void ranksForABudgetAreTheBestThatFit() {
    Property.check(
        "baselineRanksAreBestWithinBudget",
        30,
        CASES,
        c -> {
          DoubleTensor w = c.weight();
          Rng rng = new Rng(c.seed() + 1);
          Tucker2 t = Tucker2.decompose(w);
          TruncatedSvd svd = TruncatedSvd.decompose(w);
          long budget = Tucker2.params(c.shape(), 1, 1) + rng.nextInt(0, (int) c.shape().numel());
          int[] best = t.ranksForParams(budget);
          assertTrue(t.params(best[0], best[1]) <= budget);
          for (int rc = 1; rc <= t.maxRankC(); rc++) {
            for (int rf = 1; rf <= t.maxRankF(); rf++) {
              if (t.params(rc, rf) <= budget) {
                assertTrue(t.relativeError(best[0], best[1]) <= t.relativeError(rc, rf));
              }
            }
          }
          if (budget >= svd.params(1)) {
            int r = svd.rankForParams(budget);
            assertTrue(svd.params(r) <= budget);
            assertTrue(r == svd.maxRank() || svd.params(r + 1) > budget);
          } else {
            assertThrows(KronetException.class, () -> svd.rankForParams(budget));
          }
        });
  }

  @Test
  void parameterCountsByHand() {
    ConvShape stem = new ConvShape(64, 3, 7, 7);
    assertEquals(22L * (3 * 49 + 64), TruncatedSvd.params(stem, 22));
    // 1×1 3→3, 7×7 core 3→22, 1×1 22→64.
    assertEquals(3 * 3 + 22 * 3 * 49 + 64 * 22, Tucker2.params(stem, 3, 22));
    var e =
        assertThrows(
            KronetException.class,
            () -> Tucker2.decompose(DoubleTensor.randn(new Rng(1), 4, 4, 3, 3)).ranksForParams(10));
    assertTrue(e.getMessage().contains("smallest achievable 17"), e.getMessage());
  }
}
