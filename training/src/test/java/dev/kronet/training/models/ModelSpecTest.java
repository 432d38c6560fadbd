package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.gkpd.layer.KroneckerConv2d;
import dev.kronet.gkpd.layer.SvdConv;
import dev.kronet.gkpd.layer.Tucker2Conv;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static Module mixed() {
    ConvFactory f =
        (name, in, out, k, spec, bias, rng) ->
            switch (name) {
              case "layer1.0.conv1" ->
                  KroneckerConv2d.random(
                      in, out, new int[] {4, 4, 3, 1}, new int[] {4, 4, 1, 3}, 2, spec, bias, rng);
              case "layer2.0.conv2" ->
                  SvdConv.fromConv(new Conv2d(in, out, k, k, spec, bias, rng), 5);
              case "layer3.1.conv1" ->
                  Tucker2Conv.fromConv(new Conv2d(in, out, k, k, spec, bias, rng), 6, 7);
              default -> new Conv2d(in, out, k, k, spec, bias, rng);
            };
    return ModelZoo.create("resnet20", 1, 10, f, new Rng(5));
  }

  @Test
  void aDescribedModelRebuildsFromJsonAndLoadsItsOwnStateStrictly() {
    Module original = mixed();
    ModelSpec spec = ModelSpec.describe("resnet20", 1, 10, original);
    assertEquals(3, spec.replacements().size());
    ModelSpec parsed = ModelSpec.fromJson(spec.toJson());
    assertEquals(spec.toJson(), parsed.toJson());
    Module rebuilt = parsed.build(new Rng(99));
    rebuilt.loadStateDict(original.stateDict(), true);
    Tensor x = Tensor.randn(new Rng(1), 2, 1, 10, 10);
    original.eval();
    rebuilt.eval();
    try (var s = Autograd.noGrad()) {
      assertArrayEquals(original.forward(x).toArray(), rebuilt.forward(x).toArray());
    }
    var k = (KroneckerConv2d) rebuilt.namedModules().get("layer1.0.conv1");
    assertArrayEquals(new int[] {4, 4, 3, 1}, k.aShape());
    assertTrue(rebuilt.namedModules().get("layer3.1.conv1") instanceof Tucker2Conv);
  }

  @Test
  void aBareNameIsADenseModelAndBadSpecsAreClearErrors() {
    assertEquals(ModelSpec.dense("resnet20", 1, 10), ModelSpec.parseOrName("resnet20"));
    var e = assertThrows(KronetException.class, () -> ModelSpec.fromJson("{not json"));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    String badLayer =
        "{\"model\":\"resnet20\",\"inChannels\":1,\"numClasses\":10,\"replacements\":"
            + "{\"nope\":{\"kind\":\"svd\",\"rank\":2,\"rankF\":0,\"bias\":false}}}";
    var e2 =
        assertThrows(KronetException.class, () -> ModelSpec.fromJson(badLayer).build(new Rng(1)));
    assertTrue(e2.getMessage().contains("[nope]"), e2.getMessage());
  }
}
