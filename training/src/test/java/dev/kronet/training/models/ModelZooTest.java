package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Losses;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelZooTest {
  /** The models cheap enough to run forward in a unit test (the ResNet-50s are not). */
  static Stream<String> smallModels() {
    return ModelZoo.names().stream().filter(n -> !n.endsWith("50"));
  }

  /**
   * MNIST-like inputs and the smallest size the zoo promises as a training batch of 2, and one
   * CIFAR-like image in eval mode (the ResNet-18s at 32×32 cost seconds per image on the naive
   * GEMM, so that case keeps to one image).
   */
  static Stream<Arguments> modelsAndInputs() {
    return smallModels()
        .flatMap(
            m ->
                Stream.of(
                    Arguments.of(m, 2, 1, 28, 10, true),
                    Arguments.of(m, 1, 3, 32, 10, false),
                    Arguments.of(m, 2, 3, 8, 3, true)));
  }

  @ParameterizedTest(name = "{0}: {1}×{2}×{3}×{3}, {4} classes, training {5}")
  @MethodSource("modelsAndInputs")
  void forwardGivesOneRowOfLogitsPerImage(
      String model, int batch, int channels, int size, int classes, boolean training) {
    Module net = ModelZoo.create(model, channels, classes, ConvFactory.DENSE, new Rng(11));
    net.train(training);
    Tensor x = Tensor.randn(new Rng(12), batch, channels, size, size);
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      Tensor y = net.forward(x);
      assertArrayEquals(new int[] {batch, classes}, y.shape());
      for (float v : y.contiguousData()) {
        assertTrue(Float.isFinite(v), model + " produced " + v);
      }
    }
  }

  /**
   * Every registered parameter takes part in the forward pass: backward reaches each one (an unused
   * parameter keeps a null gradient). Values may legitimately be zero — a BatchNorm shift that only
   * feeds later train-mode BatchNorms cancels out, and a one-channel SE bottleneck can be a dead
   * relu — so only presence and finiteness are asserted.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"se_resnet20", "mobilenetv2"})
  void backwardReachesEveryParameter(String model) {
    Module net = ModelZoo.create(model, 3, 4, ConvFactory.DENSE, new Rng(21));
    Tensor x = Tensor.randn(new Rng(22), 2, 3, 8, 8);
    Losses.crossEntropy(net.forward(x), new int[] {1, 3}, 0f).backward();
    for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
      Tensor g = p.getValue().grad();
      assertTrue(g != null, model + ": no gradient reached " + p.getKey());
      assertArrayEquals(p.getValue().shape(), g.shape(), p.getKey());
      for (float v : g.contiguousData()) {
        assertTrue(Float.isFinite(v), model + ": gradient of " + p.getKey() + " has " + v);
      }
    }
  }

  @Test
  void unknownNameListsTheValidOnes() {
    KronetException e =
        assertThrows(
            KronetException.class,
            () -> ModelZoo.create("resnet21", 3, 10, ConvFactory.DENSE, new Rng(1)));
    assertTrue(e.getMessage().contains("'resnet21'"), e.getMessage());
    for (String name : ModelZoo.names()) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void namesAreTheDocumentedOnes() {
    assertEquals(
        List.of(
            "resnet20",
            "resnet32",
            "resnet56",
            "resnet18",
            "resnet50",
            "mobilenetv2",
            "se_resnet20",
            "se_resnet18",
            "se_resnet50"),
        ModelZoo.names());
  }

  @Test
  void badSizesAndInputsAreRefusedWithTheirShape() {
    assertThrows(
        KronetException.class,
        () -> ModelZoo.create("resnet20", 0, 10, ConvFactory.DENSE, new Rng(1)));
    assertThrows(
        KronetException.class,
        () -> ModelZoo.create("resnet20", 3, 0, ConvFactory.DENSE, new Rng(1)));
    assertThrows(KronetException.class, () -> ResNet.cifar(21, false));
    Module net = ModelZoo.create("resnet20", 3, 10, ConvFactory.DENSE, new Rng(1));
    KronetException e =
        assertThrows(KronetException.class, () -> net.forward(Tensor.zeros(2, 1, 28, 28)));
    assertTrue(e.getMessage().contains("[2, 1, 28, 28]"), e.getMessage());
    assertTrue(e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
    KronetException nullConv =
        assertThrows(
            KronetException.class,
            () -> ModelZoo.create("resnet20", 3, 10, (n, i, o, k, s, b, r) -> null, new Rng(1)));
    assertTrue(nullConv.getMessage().contains("'conv1'"), nullConv.getMessage());
  }

  @Test
  void sameSeedGivesTheSameWeightsAndAnotherSeedDoesNot() {
    Map<String, StoredTensor> a =
        ModelZoo.create("se_resnet20", 3, 10, ConvFactory.DENSE, new Rng(5)).stateDict();
    Map<String, StoredTensor> b =
        ModelZoo.create("se_resnet20", 3, 10, ConvFactory.DENSE, new Rng(5)).stateDict();
    Map<String, StoredTensor> c =
        ModelZoo.create("se_resnet20", 3, 10, ConvFactory.DENSE, new Rng(6)).stateDict();
    assertEquals(a, b);
    assertNotEquals(a.get("layer2.0.conv1.weight"), c.get("layer2.0.conv1.weight"));
  }

  /** A stand-in for a compressed layer: wraps a dense conv and counts its forward calls. */
  static final class CountingConv extends Module {
    private final Module inner;
    int calls;

    CountingConv(Module inner) {
      this.inner = registerModule("inner", inner);
    }

    @Override
    public Tensor forward(Tensor x) {
      calls++;
      return inner.forward(x);
    }
  }

  @Test
  void aFactoryLayerIsTheOneTheForwardPassUses() {
    CountingConv[] made = new CountingConv[1];
    ConvFactory factory =
        (name, in, out, k, spec, bias, rng) -> {
          Module dense = ConvFactory.DENSE.create(name, in, out, k, spec, bias, rng);
          if (!name.equals("layers.3.conv2")) {
            return dense;
          }
          made[0] = new CountingConv(dense);
          return made[0];
        };
    Module net = ModelZoo.create("mobilenetv2", 1, 10, factory, new Rng(2));
    assertTrue(net.stateDict().containsKey("layers.3.conv2.inner.weight"));
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      net.forward(Tensor.randn(new Rng(3), 2, 1, 8, 8));
    }
    assertEquals(1, made[0].calls);
  }

  /**
   * Each conv gets its own forked generator: a factory that draws differently for one layer leaves
   * every other layer's initial weights as in the dense model.
   */
  @Test
  void oneLayersRandomnessDoesNotShiftTheOthers() {
    ConvFactory greedy =
        (name, in, out, k, spec, bias, rng) -> {
          if (name.equals("layer1.0.conv1")) {
            for (int i = 0; i < 1000; i++) {
              rng.nextDouble();
            }
          }
          return ConvFactory.DENSE.create(name, in, out, k, spec, bias, rng);
        };
    Map<String, StoredTensor> dense =
        ModelZoo.create("resnet20", 3, 10, ConvFactory.DENSE, new Rng(9)).stateDict();
    Map<String, StoredTensor> other =
        ModelZoo.create("resnet20", 3, 10, greedy, new Rng(9)).stateDict();
    for (String key : dense.keySet()) {
      if (key.equals("layer1.0.conv1.weight")) {
        assertNotEquals(dense.get(key), other.get(key));
      } else {
        assertEquals(dense.get(key), other.get(key), key);
      }
    }
    assertFalse(dense.isEmpty());
  }
}
