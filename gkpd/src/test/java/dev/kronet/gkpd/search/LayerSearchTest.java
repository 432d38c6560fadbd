package dev.kronet.gkpd.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.decompose.NearestKronecker;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerSearchTest {

  /** A small layer and a budget between "almost nothing" and a bit above dense. */
  record Case(ConvShape shape, ConvSetting g, long seed, double paramFraction, double macFraction) {
    LayerSpec layer() {
      return new LayerSpec("conv", DoubleTensor.randn(new Rng(seed), shape.toArray()), g);
    }

    Budget budget() {
      long p = (long) (paramFraction * shape.numel());
      long m =
          macFraction > 1.5 ? Long.MAX_VALUE : (long) (macFraction * ConvCost.denseMacs(shape, g));
      return new Budget(p, m);
    }
  }

  static final Gen<Case> CASES =
      Gen.<Case>of(
              (rng, size) -> {
                ConvShape s =
                    new ConvShape(
                        rng.nextInt(1, 6), rng.nextInt(1, 6), rng.nextInt(1, 3), rng.nextInt(1, 3));
                ConvSetting g =
                    ConvSetting.of(rng.nextInt(3, 6), rng.nextInt(3, 6), rng.nextInt(1, 2), 1);
                return new Case(
                    s,
                    g,
                    rng.nextLong(),
                    0.1 + 1.1 * rng.nextDouble(),
                    0.2 + 1.5 * rng.nextDouble());
              })
          .withEdgeCases(
              List.of(
                  new Case(new ConvShape(1, 1, 1, 1), ConvSetting.of(3, 3, 1, 0), 1, 2.5, 2),
                  new Case(new ConvShape(4, 4, 3, 3), ConvSetting.same(4, 4, 3), 2, 0.5, 2),
                  new Case(new ConvShape(4, 2, 2, 2), ConvSetting.of(5, 5, 2, 1), 3, 0.3, 0.6),
                  new Case(new ConvShape(6, 4, 3, 1), ConvSetting.same(5, 5, 3), 4, 0.25, 2)));

  @Test
  void factorShapesAreEveryDivisorSplit() {
    ConvShape w = new ConvShape(4, 6, 3, 3);
    List<FactorPair> pairs = FactorShapes.enumerate(w);
    assertEquals(3 * 4 * 2 * 2, pairs.size());
    assertEquals(pairs.size(), new HashSet<>(pairs).size());
    for (FactorPair p : pairs) {
      assertEquals(w, p.w());
    }
    assertEquals(List.of(1, 2, 3, 4, 6, 12), FactorShapes.divisors(12));
  }

  @Test
  void bestIsTheBruteForceMinimumWithinTheBudget() {
    Property.check(
        "searchPicksTheMinErrorFeasibleConfiguration",
        25,
        CASES,
        c -> {
          LayerSpec layer = c.layer();
          Budget budget = c.budget();
          double bruteBest = Double.POSITIVE_INFINITY;
          // Independent enumeration: divisor loops, one SVD per shape, error by reconstruction.
          for (int f1 = 1; f1 <= c.shape().f(); f1++) {
            for (int c1 = 1; c1 <= c.shape().c(); c1++) {
              for (int h1 = 1; h1 <= c.shape().kh(); h1++) {
                for (int k1 = 1; k1 <= c.shape().kw(); k1++) {
                  ConvShape s = c.shape();
                  if (s.f() % f1 != 0 || s.c() % c1 != 0 || s.kh() % h1 != 0 || s.kw() % k1 != 0) {
                    continue;
                  }
                  ConvShape a = new ConvShape(f1, c1, h1, k1);
                  ConvShape b = new ConvShape(s.f() / f1, s.c() / c1, s.kh() / h1, s.kw() / k1);
                  KroneckerDecomposition d =
                      NearestKronecker.decompose(layer.weight(), a.toArray(), b.toArray());
                  for (int r = 1; r <= d.kroneckerRank(); r++) {
                    if (budget.allows(
                        ConvCost.kroneckerParams(a, b, r),
                        ConvCost.kroneckerMacs(a, b, r, c.g()))) {
                      double e =
                          layer.weight().distance(d.reconstruct(r))
                              / layer.weight().frobeniusNorm();
                      bruteBest = Math.min(bruteBest, e);
                    }
                  }
                }
              }
            }
          }
          LayerSearch search = new LayerSearch(layer);
          if (bruteBest == Double.POSITIVE_INFINITY) {
            assertThrows(KronetException.class, () -> search.best(budget));
            return;
          }
          Candidate best = search.best(budget);
          assertTrue(budget.allows(best.params(), best.macs()), best + " breaks " + budget);
          assertTrue(best.rank() >= 1);
          assertEquals(bruteBest, best.relativeError(), 1e-9);
          assertEquals(ConvCost.kroneckerParams(best.a(), best.b(), best.rank()), best.params());
        });
  }

  @Test
  void paretoFrontIsMonotoneAndDominatesEveryCandidate() {
    Property.check(
        "paretoFrontDominatesAllCandidates",
        20,
        CASES,
        c -> {
          LayerSearch search = new LayerSearch(c.layer());
          Budget macsOnly = new Budget(Long.MAX_VALUE, c.budget().maxMacs());
          List<Candidate> all = search.candidates(macsOnly);
          if (all.isEmpty()) {
            return;
          }
          List<Candidate> front = search.paretoFront(macsOnly);
          for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).params() > front.get(i - 1).params());
            assertTrue(front.get(i).relativeError() < front.get(i - 1).relativeError());
          }
          for (Candidate x : all) {
            assertTrue(
                front.stream()
                    .anyMatch(
                        p -> p.params() <= x.params() && p.relativeError() <= x.relativeError()),
                x + " is not dominated");
          }
        });
  }

  @Test
  void rankCapOneGivesTheBestSingleProduct() {
    LayerSpec layer =
        new Case(new ConvShape(4, 4, 3, 3), ConvSetting.same(4, 4, 3), 5, 1, 2).layer();
    LayerSearch search = new LayerSearch(layer);
    Budget half = Budget.compression(144, 2);
    Candidate one = search.best(half, 1);
    assertEquals(1, one.rank());
    for (Candidate c : search.candidates(half, 1)) {
      assertTrue(one.relativeError() <= c.relativeError());
    }
    assertTrue(search.best(half).relativeError() <= one.relativeError());
  }

  @Test
  void fixedRankIsTheBestShapeWithExactlyThatManyTerms() {
    Property.check(
        "bestOfRankIsTheMinErrorShapeAtThatRank",
        20,
        CASES,
        c -> {
          LayerSearch search = new LayerSearch(c.layer());
          Budget budget = c.budget();
          List<Candidate> all = search.candidates(budget);
          int largest = all.stream().mapToInt(Candidate::rank).max().orElse(0);
          for (int r = 1; r <= largest + 1; r++) {
            int rank = r;
            List<Candidate> atRank = all.stream().filter(x -> x.rank() == rank).toList();
            if (atRank.isEmpty()) {
              var e = assertThrows(KronetException.class, () -> search.bestOfRank(budget, rank));
              if (largest > 0) {
                assertTrue(
                    e.getMessage().contains("largest R̂ that fits is " + largest), e.getMessage());
              }
              continue;
            }
            Candidate best = search.bestOfRank(budget, rank);
            assertEquals(rank, best.rank());
            assertTrue(budget.allows(best.params(), best.macs()), best + " breaks " + budget);
            for (Candidate x : atRank) {
              assertTrue(best.relativeError() <= x.relativeError(), x + " beats " + best);
            }
          }
          assertThrows(KronetException.class, () -> search.bestOfRank(budget, 0));
        });
  }

  @Test
  void infeasibleBudgetNamesTheSmallestAchievableSize() {
    LayerSpec layer =
        new Case(new ConvShape(8, 8, 3, 3), ConvSetting.same(6, 6, 3), 6, 1, 2).layer();
    LayerSearch search = new LayerSearch(layer);
    long smallest = Long.MAX_VALUE;
    for (FactorPair p : FactorShapes.enumerate(layer.shape())) {
      smallest = Math.min(smallest, p.a().numel() + p.b().numel());
    }
    assertEquals(smallest, search.smallestByParams().params());
    long tooSmall = smallest - 1;
    var e = assertThrows(KronetException.class, () -> search.best(Budget.params(tooSmall)));
    assertTrue(e.getMessage().contains("'conv'"), e.getMessage());
    assertTrue(e.getMessage().contains("params ≤ " + tooSmall), e.getMessage());
    assertTrue(
        e.getMessage().contains("smallest achievable is " + smallest + " params"), e.getMessage());
    var m = assertThrows(KronetException.class, () -> search.best(Budget.macs(10)));
    assertTrue(m.getMessage().contains(search.smallestByMacs().macs() + " MACs"), m.getMessage());
    assertThrows(KronetException.class, () -> search.paretoFront(Budget.params(tooSmall)));
  }
}
