package dev.kronet.training.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.layer.KroneckerConv2d;
import dev.kronet.gkpd.layer.SvdConv;
import dev.kronet.gkpd.layer.Tucker2Conv;
import dev.kronet.gkpd.search.NetworkTarget;
import dev.kronet.training.models.ConvFactory;
import dev.kronet.training.models.ModelZoo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCompressorTest {
  private static final int SIZE = 12;

  private static Module trainedLikeResNet20() {
    Module m = ModelZoo.create("resnet20", 1, 10, ConvFactory.DENSE, new Rng(1));
    // Non-trivial BatchNorm state, as after training, so copying it is observable.
    Rng rng = new Rng(2);
    for (var e : m.namedBuffers().entrySet()) {
      if (e.getKey().endsWith("running_var")) {
        float[] v = ((dev.kronet.engine.nn.TensorBuffer) e.getValue()).tensor().data();
        for (int i = 0; i < v.length; i++) {
          v[i] = 0.5f + rng.nextFloat();
        }
      }
    }
    m.eval();
    return m;
  }

  private static float[] forward(Module m, Tensor x) {
    m.eval();
    try (var s = Autograd.noGrad()) {
      return m.forward(x).toArray();
    }
  }

  @Test
  void aBudgetThatAllowsExactFactorsKeepsTheFunction() {
    Module dense = trainedLikeResNet20();
    List<ConvSite> sites = ConvSites.find("resnet20", dense, 1, 10, SIZE, SIZE);
    long eligible =
        sites.stream()
            .filter(s -> !s.name().equals("conv1") && s.conv().kernelHeight() == 3)
            .mapToLong(s -> s.conv().weight().numel() + 1)
            .sum();
    var request =
        new CompressionRequest(
            CompressionMethod.GKPD,
            NetworkTarget.totalParams(eligible),
            false,
            false,
            Set.of("conv1"),
            CompressionRequest.Allocation.GLOBAL);
    CompressedModel c =
        ModelCompressor.compress("resnet20", dense, 1, 10, SIZE, SIZE, request, new Rng(3));
    Tensor x = Tensor.randn(new Rng(4), 2, 1, SIZE, SIZE);
    float[] expected = forward(dense, x);
    float[] got = forward(c.model(), x);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 2e-3f * (1 + Math.abs(expected[i])), "logit " + i);
    }
    assertEquals(18, c.layers().size(), "the 18 block convolutions, not the stem or 1×1s");
  }

  @Test
  void gkpdAtFiveTimesReplacesBlockConvsAndCopiesEverythingElse() {
    Module dense = trainedLikeResNet20();
    CompressedModel c =
        ModelCompressor.compress(
            "resnet20", dense, 1, 10, SIZE, SIZE, CompressionRequest.gkpd(5), new Rng(3));
    var modules = c.model().namedModules();
    assertInstanceOf(Conv2d.class, modules.get("conv1"));
    assertInstanceOf(Conv2d.class, modules.get("layer2.0.shortcut.0"));
    long dense3x3 = 0;
    long compressed = 0;
    for (LayerChoice l : c.layers()) {
      dense3x3 += l.denseParams();
      compressed += l.params();
      assertTrue(l.relativeError() >= 0 && l.relativeError() < 1, l.toString());
    }
    assertTrue(compressed <= dense3x3 / 5, compressed + " params vs dense " + dense3x3);
    for (LayerChoice l : c.layers()) {
      assertTrue(l.params() <= l.denseParams() / 5, "uniform allocation: " + l);
    }
    assertTrue(c.layers().stream().anyMatch(l -> modules.get(l.name()) instanceof KroneckerConv2d));
    var from = dense.stateDict();
    var to = c.model().stateDict();
    for (String key : List.of("bn1.running_var", "layer3.2.bn2.running_var", "linear.weight")) {
      assertArrayEquals(from.get(key).toFloats(), to.get(key).toFloats(), key);
    }
    assertTrue(LayerChoice.table(c.layers()).contains("total:"));
  }

  @Test
  void aFixedRankGivesEveryLayerThatManyTermsWithinItsBudget() {
    Module dense = trainedLikeResNet20();
    for (int rank : new int[] {1, 2}) {
      CompressedModel c =
          ModelCompressor.compress(
              "resnet20", dense, 1, 10, SIZE, SIZE, gkpdFiveTimesAtRank(rank), new Rng(3));
      assertEquals(18, c.layers().size());
      for (LayerChoice l : c.layers()) {
        var k = (KroneckerConv2d) c.model().namedModules().get(l.name());
        assertEquals(rank, k.rank(), l.name());
        assertTrue(l.params() <= l.denseParams() / 5, l.toString());
      }
    }
    var tooMany = gkpdFiveTimesAtRank(64);
    var e =
        assertThrows(
            KronetException.class,
            () ->
                ModelCompressor.compress(
                    "resnet20", dense, 1, 10, SIZE, SIZE, tooMany, new Rng(3)));
    assertTrue(e.getMessage().contains("layer1.0.conv1"), e.getMessage());
    assertTrue(e.getMessage().contains("largest R̂ that fits"), e.getMessage());
    assertThrows(
        KronetException.class,
        () ->
            new CompressionRequest(
                CompressionMethod.SVD,
                NetworkTarget.compression(5),
                false,
                false,
                Set.of(),
                CompressionRequest.Allocation.UNIFORM,
                2));
    assertThrows(
        KronetException.class,
        () ->
            new CompressionRequest(
                CompressionMethod.GKPD,
                NetworkTarget.compression(5),
                false,
                false,
                Set.of(),
                CompressionRequest.Allocation.GLOBAL,
                2));
  }

  /** GKPD at 5× on every block convolution, exactly {@code rank} terms in each. */
  private static CompressionRequest gkpdFiveTimesAtRank(int rank) {
    return new CompressionRequest(
        CompressionMethod.GKPD,
        NetworkTarget.compression(5),
        false,
        false,
        Set.of("conv1"),
        CompressionRequest.Allocation.UNIFORM,
        rank);
  }

  @Test
  void baselinesUseTheirLayersWithinTheSameBudget() {
    Module dense = trainedLikeResNet20();
    for (CompressionMethod m : List.of(CompressionMethod.SVD, CompressionMethod.TUCKER)) {
      var request =
          new CompressionRequest(
              m, NetworkTarget.compression(3), false, false, Set.of("conv1"), null);
      CompressedModel c =
          ModelCompressor.compress("resnet20", dense, 1, 10, SIZE, SIZE, request, new Rng(3));
      Module replaced = c.model().namedModules().get("layer1.0.conv1");
      Class<?> expected = m == CompressionMethod.SVD ? SvdConv.class : Tucker2Conv.class;
      assertTrue(expected.isInstance(replaced), m + ": " + replaced.getClass());
      for (LayerChoice l : c.layers()) {
        assertTrue(l.params() <= l.denseParams() / 3, l.toString());
      }
      assertEquals(10, forward(c.model(), Tensor.zeros(1, 1, SIZE, SIZE)).length);
    }
  }

  @Test
  void randomInitKeepsTheConfigurationButNotTheWeights() {
    Module dense = trainedLikeResNet20();
    var decomposed =
        ModelCompressor.compress(
            "resnet20", dense, 1, 10, SIZE, SIZE, CompressionRequest.gkpd(4), new Rng(3));
    var request =
        new CompressionRequest(
            CompressionMethod.GKPD,
            NetworkTarget.compression(4),
            true,
            false,
            Set.of("conv1"),
            CompressionRequest.Allocation.UNIFORM);
    var random =
        ModelCompressor.compress("resnet20", dense, 1, 10, SIZE, SIZE, request, new Rng(3));
    var a = (KroneckerConv2d) decomposed.model().namedModules().get("layer1.0.conv1");
    var b = (KroneckerConv2d) random.model().namedModules().get("layer1.0.conv1");
    assertArrayEquals(a.aShape(), b.aShape());
    assertEquals(a.rank(), b.rank());
    assertTrue(
        !java.util.Arrays.equals(
            a.namedParameters().get("A").toArray(), b.namedParameters().get("A").toArray()));
    assertThrows(
        KronetException.class,
        () ->
            ModelCompressor.compress(
                "resnet20",
                dense,
                1,
                10,
                SIZE,
                SIZE,
                new CompressionRequest(
                    CompressionMethod.SVD,
                    NetworkTarget.compression(2),
                    true,
                    false,
                    Set.of(),
                    null),
                new Rng(1)));
  }

  @Test
  void everyUngroupedConvolutionIsEligibleWhateverItsStridesPaddingAndDilation() {
    var request = CompressionRequest.gkpd(2);
    ConvSpec odd = new ConvSpec(2, 1, 1, 0, 2, 1, 1, 2, 1);
    assertTrue(
        ModelCompressor.eligible(
            new ConvSite("odd", new Conv2d(8, 8, 3, 3, odd, false, new Rng(1)), 9, 11), request));
    ConvSpec grouped = new ConvSpec(1, 1, 1, 1, 1, 1, 1, 1, 2);
    assertFalse(
        ModelCompressor.eligible(
            new ConvSite("grouped", new Conv2d(8, 8, 3, 3, grouped, false, new Rng(1)), 9, 9),
            request),
        "a grouped weight is block-diagonal, not a sum of Kronecker products");
  }
}
