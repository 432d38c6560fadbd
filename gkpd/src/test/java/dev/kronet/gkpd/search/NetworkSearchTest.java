package dev.kronet.gkpd.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvSetting;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSearchTest {

  private static List<LayerSpec> network(long seed) {
    Rng rng = new Rng(seed);
    return List.of(
        new LayerSpec("stem", DoubleTensor.randn(rng, 4, 3, 3, 3), ConvSetting.same(8, 8, 3)),
        new LayerSpec("block1", DoubleTensor.randn(rng, 8, 4, 3, 3), ConvSetting.same(8, 8, 3)),
        new LayerSpec("down", DoubleTensor.randn(rng, 8, 8, 3, 3), ConvSetting.of(8, 8, 2, 1)),
        new LayerSpec("proj", DoubleTensor.randn(rng, 8, 8, 1, 1), ConvSetting.same(4, 4, 1)));
  }

  @Test
  void planMeetsTheTargetAndNoFurtherUpgradeFits() {
    Property.check(
        "networkPlanRespectsTargetAndIsGreedyMaximal",
        12,
        Gens.oneOf(1.5, 2.0, 3.0, 5.0),
        ratio -> {
          List<LayerSpec> layers = network(11);
          CompressionPlan plan =
              NetworkSearch.plan(layers, NetworkTarget.compression(ratio).skipping("stem"));
          assertTrue(plan.params() <= plan.paramLimit(), PlanTable.format(plan));
          assertEquals((long) Math.floor(plan.denseParams() / ratio), plan.paramLimit());
          assertTrue(plan.layers().getFirst().skipped());
          assertEquals(0.0, plan.layers().getFirst().relativeError());
          long slack = plan.paramLimit() - plan.params();
          for (int i = 1; i < layers.size(); i++) {
            LayerReport r = plan.layers().get(i);
            Candidate chosen = r.kronecker().orElseThrow();
            for (Candidate c : new LayerSearch(layers.get(i)).paretoFront(Budget.unlimited())) {
              if (c.relativeError() < chosen.relativeError()) {
                assertTrue(
                    c.params() - chosen.params() > slack,
                    "upgrade of " + r.name() + " to " + c + " would still fit");
              }
            }
          }
        });
  }

  @Test
  void macLimitIsRespected() {
    List<LayerSpec> layers = network(12);
    CompressionPlan free = NetworkSearch.plan(layers, NetworkTarget.compression(2));
    long limit = free.denseMacs() / 3;
    CompressionPlan capped =
        NetworkSearch.plan(layers, NetworkTarget.compression(2).withMaxMacs(limit));
    assertTrue(capped.macs() <= limit, PlanTable.format(capped));
    assertTrue(capped.params() <= capped.paramLimit());
    assertTrue(capped.weightedError() >= free.weightedError() - 1e-12);
  }

  @Test
  void totalParamsTargetAndLooseTargetsWork() {
    List<LayerSpec> layers = network(13);
    CompressionPlan plan = NetworkSearch.plan(layers, NetworkTarget.totalParams(400));
    assertTrue(plan.params() <= 400);
    assertEquals(400, plan.paramLimit());
    // Above dense size the trivial split (A or B of ones) holds W exactly.
    CompressionPlan loose = NetworkSearch.plan(layers, NetworkTarget.totalParams(1_000_000));
    assertEquals(0.0, loose.weightedError(), 1e-10);
  }

  @Test
  void unreachableTargetNamesTheSmallestAchievableTotal() {
    List<LayerSpec> layers = network(14);
    long smallest = 0;
    for (LayerSpec l : layers) {
      smallest +=
          l.name().equals("stem")
              ? l.shape().numel()
              : new LayerSearch(l).smallestByParams().params();
    }
    var e =
        assertThrows(
            KronetException.class,
            () -> NetworkSearch.plan(layers, NetworkTarget.compression(1000).skipping("stem")));
    assertTrue(e.getMessage().contains("smallest achievable total of " + smallest), e.getMessage());
    var s =
        assertThrows(
            KronetException.class,
            () -> NetworkSearch.plan(layers, NetworkTarget.compression(2).skipping("nope")));
    assertTrue(s.getMessage().contains("'nope'"), s.getMessage());
  }

  @Test
  void factorShapeFilterRestrictsEveryChoice() {
    CompressionPlan plan =
        NetworkSearch.plan(
            network(16),
            NetworkTarget.compression(2),
            p -> p.b().kh() == 1 && p.b().kw() == 1 && p.a().numel() > 1);
    for (LayerReport r : plan.layers()) {
      Candidate c = r.kronecker().orElseThrow();
      assertTrue(c.b().kh() == 1 && c.b().kw() == 1 && c.a().numel() > 1, r.toString());
    }
    assertTrue(plan.params() <= plan.paramLimit());
    assertThrows(KronetException.class, () -> new LayerSearch(network(16).getFirst(), p -> false));
  }

  @Test
  void badTargetsAndLayersAreRejected() {
    assertThrows(KronetException.class, () -> NetworkTarget.compression(0));
    assertThrows(
        KronetException.class,
        () -> new NetworkTarget(2.0, 100, Long.MAX_VALUE, java.util.Set.of()));
    var e =
        assertThrows(
            KronetException.class,
            () -> new LayerSpec("fc", DoubleTensor.zeros(4, 4), ConvSetting.same(4, 4, 1)));
    assertTrue(e.getMessage().contains("'fc'") && e.getMessage().contains("[4, 4]"));
    List<LayerSpec> twice = List.of(network(1).get(1), network(2).get(1));
    var d =
        assertThrows(
            KronetException.class, () -> NetworkSearch.plan(twice, NetworkTarget.compression(2)));
    assertTrue(d.getMessage().contains("'block1'"), d.getMessage());
    var m =
        assertThrows(
            KronetException.class,
            () ->
                NetworkSearch.plan(
                    network(3), NetworkTarget.compression(2).withMaxMacs(10).skipping("stem")));
    assertTrue(m.getMessage().contains("skipped layers alone"), m.getMessage());
  }

  @Test
  void tableListsEveryLayerAndTheTotals() {
    CompressionPlan plan =
        NetworkSearch.plan(network(15), NetworkTarget.compression(2).skipping("proj"));
    String table = PlanTable.format(plan);
    for (String name : List.of("stem", "block1", "down", "proj", "total", "(dense)")) {
      assertTrue(table.contains(name), table);
    }
    assertTrue(table.contains("compression "), table);
    assertTrue(table.contains(Long.toString(plan.params())), table);
  }
}
