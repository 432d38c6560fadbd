package dev.kronet.gkpd.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's plan: every layer within the network's ratio (and MAC reduction) on its own. */
class UniformPlanTest {
  private static List<LayerSpec> network(long seed) {
    Rng rng = new Rng(seed);
    return List.of(
        new LayerSpec("block1", DoubleTensor.randn(rng, 8, 4, 3, 3), ConvSetting.same(8, 8, 3)),
        new LayerSpec("down", DoubleTensor.randn(rng, 8, 8, 3, 3), ConvSetting.of(8, 8, 2, 1)),
        new LayerSpec("proj", DoubleTensor.randn(rng, 8, 8, 1, 1), ConvSetting.same(4, 4, 1)));
  }

  @Test
  void everyLayerStaysWithinTheNetworksRatioAndMacReduction() {
    Property.check(
        "uniformPlanKeepsEveryLayerWithinTheRatio",
        8,
        Gens.oneOf(1.5, 2.0, 4.0),
        ratio -> {
          List<LayerSpec> layers = network(3);
          long dense = layers.stream().mapToLong(s -> s.weight().numel()).sum();
          long denseMacs =
              layers.stream().mapToLong(s -> ConvCost.denseMacs(s.shape(), s.geometry())).sum();
          NetworkTarget target = NetworkTarget.compression(ratio).withMaxMacs(denseMacs / 2);
          CompressionPlan plan = UniformPlan.plan(layers, target, 0);
          assertEquals(layers.size(), plan.layers().size());
          for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            LayerReport r = plan.layers().get(i);
            assertEquals(s.name(), r.name());
            Candidate c = r.kronecker().orElseThrow();
            assertTrue(c.params() <= s.weight().numel() / ratio + 1e-9, r.name() + " " + c);
            long layerMacs = ConvCost.denseMacs(s.shape(), s.geometry());
            assertTrue(c.macs() <= layerMacs * 0.5 + 1, r.name() + " " + c);
          }
          assertEquals(
              dense / UniformPlan.ratio(dense, target), (double) target.paramLimit(dense), 1e-9);
        });
  }

  @Test
  void aFixedRankGivesEveryLayerExactlyThatManyTerms() {
    CompressionPlan plan = UniformPlan.plan(network(5), NetworkTarget.compression(1.5), 2);
    for (LayerReport r : plan.layers()) {
      assertEquals(2, r.kronecker().orElseThrow().rank(), r.name());
      ConvShape w = r.shape();
      assertTrue(r.kronecker().orElseThrow().params() <= w.numel() / 1.5, r.name());
    }
  }
}
