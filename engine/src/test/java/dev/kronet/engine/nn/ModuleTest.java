package dev.kronet.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.DType;
import dev.kronet.engine.nn.TestModules.Affine;
import dev.kronet.engine.nn.TestModules.BatchNormState;
import dev.kronet.engine.nn.TestModules.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModuleTest {
  private static List<String> blockEntries(String prefix, boolean withBuffers) {
    List<String> out = new ArrayList<>();
    for (String layer : List.of("conv1", "bn1", "conv2", "bn2")) {
      out.addAll(layerEntries(prefix + layer, layer.startsWith("bn"), withBuffers));
    }
    return out;
  }

  private static List<String> layerEntries(String layer, boolean isNorm, boolean withBuffers) {
    if (!isNorm) {
      return List.of(layer + ".weight");
    }
    List<String> out = new ArrayList<>(List.of(layer + ".weight", layer + ".bias"));
    if (withBuffers) {
      out.addAll(
          List.of(layer + ".running_mean", layer + ".running_var", layer + ".num_batches_tracked"));
    }
    return out;
  }

  /** The names PyTorch gives the same tree: depth first, own entries before children's. */
  private static List<String> expectedNames(boolean withBuffers) {
    List<String> names = new ArrayList<>();
    names.addAll(layerEntries("conv1", false, withBuffers));
    names.addAll(layerEntries("bn1", true, withBuffers));
    names.addAll(blockEntries("layer1.0.", withBuffers));
    names.addAll(blockEntries("layer1.1.", withBuffers));
    names.addAll(List.of("fc.weight", "fc.bias"));
    return names;
  }

  @Test
  void parametersHavePytorchDottedNamesInRegistrationOrder() {
    Net net = new Net(4, 10, new Rng(1));
    assertEquals(expectedNames(false), List.copyOf(net.namedParameters().keySet()));
    assertEquals(List.copyOf(net.namedParameters().values()), net.parameters());
    assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
  }

  @Test
  void stateDictListsParametersThenBuffersOfEachModuleBeforeItsChildren() {
    Net net = new Net(4, 10, new Rng(1));
    Map<String, dev.kronet.engine.io.StoredTensor> state = net.stateDict();
    assertEquals(expectedNames(true), List.copyOf(state.keySet()));
    assertEquals(DType.I64, state.get("layer1.1.bn2.num_batches_tracked").dtype());
    assertArrayEquals(new int[0], state.get("bn1.num_batches_tracked").shape());
    assertEquals(DType.F32, state.get("bn1.running_var").dtype());
    assertArrayEquals(new int[] {4, 4, 3, 3}, state.get("layer1.0.conv1.weight").shape());
  }

  @Test
  void buffersAreFoundByDottedNameAndCarryTheirDtype() {
    Net net = new Net(4, 10, new Rng(1));
    Map<String, Buffer> buffers = net.namedBuffers();
    assertEquals(15, buffers.size()); // five BatchNorms × (mean, var, counter)
    assertTrue(buffers.get("layer1.0.bn2.num_batches_tracked") instanceof Counter);
    Buffer mean = buffers.get("bn1.running_mean");
    assertEquals(DType.F32, mean.dtype());
    assertArrayEquals(new int[] {4}, mean.shape());
  }

  @Test
  void namedModulesVisitsTheTreeDepthFirstStartingWithItself() {
    Net net = new Net(2, 3, new Rng(1));
    List<String> expected = new ArrayList<>(List.of("", "conv1", "bn1", "layer1"));
    for (String block : List.of("layer1.0", "layer1.1")) {
      expected.add(block);
      for (String m : List.of("conv1", "bn1", "conv2", "bn2", "shortcut")) {
        expected.add(block + "." + m);
      }
    }
    expected.add("fc");
    Map<String, Module> modules = net.namedModules();
    assertEquals(expected, List.copyOf(modules.keySet()));
    assertSame(net, modules.get(""));
    assertSame(net.layer1.get(1), modules.get("layer1.1"));
    assertEquals(
        List.of("conv1", "bn1", "layer1", "fc"), List.copyOf(net.namedChildren().keySet()));
    assertEquals(List.copyOf(net.namedChildren().values()), net.children());
  }

  @Test
  void trainAndEvalReachEveryDescendant() {
    Net net = new Net(2, 3, new Rng(1));
    assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
    net.eval();
    assertTrue(net.namedModules().values().stream().noneMatch(Module::isTraining));
    net.layer1.train();
    assertFalse(net.isTraining());
    assertTrue(net.layer1.get(0).children().get(0).isTraining());
    net.train(true);
    assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
  }

  @Test
  void zeroGradDropsTheGradientOfEveryParameter() {
    Net net = new Net(2, 3, new Rng(1));
    for (Tensor p : net.parameters()) {
      p.setGrad(Tensor.ones(p.shape()));
    }
    net.zeroGrad();
    for (Tensor p : net.parameters()) {
      assertNull(p.grad());
    }
  }

  @Test
  void numParametersCountsEveryTrainableScalar() {
    Net net = new Net(4, 10, new Rng(1));
    long conv = 4 * 4 * 9;
    long bn = 2 * 4;
    long expected = 3 * 4 * 9 + bn + 2 * (2 * conv + 2 * bn) + (10 * 4 + 10);
    assertEquals(expected, net.numParameters());
  }

  /** A module whose parameter is shared by two children: tied weights, as PyTorch allows. */
  static final class Tied extends Module {
    final Tensor shared = Tensor.zeros(3);

    Tied() {
      registerModule("a", holder(shared));
      registerModule("b", holder(shared));
    }

    private static Module holder(Tensor t) {
      return new Module() {
        {
          registerParameter("w", t);
        }

        @Override
        public Tensor forward(Tensor x) {
          return x;
        }
      };
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  @Test
  void aSharedParameterIsTrainedOnceButSavedUnderEachName() {
    Tied tied = new Tied();
    assertEquals(List.of("a.w"), List.copyOf(tied.namedParameters().keySet()));
    assertEquals(3, tied.numParameters());
    assertEquals(List.of("a.w", "b.w"), List.copyOf(tied.stateDict().keySet()));
  }

  /** A module that runs {@code body} in its constructor, to test what registration refuses. */
  static final class Registering extends Module {
    Registering(Consumer<Registering> body) {
      body.accept(this);
    }

    void param(String name, Tensor t) {
      registerParameter(name, t);
    }

    void buffer(String name, Tensor t) {
      registerBuffer(name, t);
    }

    void child(String name, Module m) {
      registerModule(name, m);
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  private static void assertRefused(Consumer<Registering> body, String fragment) {
    KronetException e = assertThrows(KronetException.class, () -> new Registering(body));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void registrationRefusesAmbiguousOrInvalidEntries() {
    assertRefused(
        m -> {
          m.param("w", Tensor.zeros(1));
          m.buffer("w", Tensor.zeros(1));
        },
        "'w' is already registered");
    assertRefused(m -> m.param("a.b", Tensor.zeros(1)), "invalid name 'a.b'");
    assertRefused(m -> m.param("", Tensor.zeros(1)), "invalid name ''");
    assertRefused(m -> m.child("c", null), "cannot register null as 'c'");
    assertRefused(m -> m.param("w", Tensor.zeros(2, 3).transpose(0, 1)), "non-contiguous");
    Tensor leaf = Tensor.zeros(2).requiresGrad(true);
    assertRefused(m -> m.param("w", leaf.reshape(1, 2).transpose(0, 1)), "must be a leaf");
    assertRefused(m -> m.child("self", m), "cycles");
  }

  @Test
  void sequentialAppliesItsLayersInOrderAndNamesThemByIndex() {
    Sequential seq = new Sequential(new Affine(2, 0), new Affine(1, 1), new Identity());
    assertEquals(List.of("0", "1", "2"), List.copyOf(seq.namedChildren().keySet()));
    assertEquals(3, seq.size());
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor y = seq.forward(x);
    assertArrayEquals(new float[] {3, 5}, y.toArray()); // (2x)+1, not 2(x+1)
    y.backward(Tensor.ones(2));
    assertNotNull(x.grad());
    assertArrayEquals(new float[] {2, 2}, x.grad().toArray());
  }

  @Test
  void identityReturnsItsInputItself() {
    Tensor x = Tensor.vector(1, 2);
    assertSame(x, new Identity().forward(x));
  }

  @Test
  void toStringShowsTheTreeLikePytorch() {
    Sequential seq = new Sequential(new Identity(), new Sequential(new BatchNormState(2)));
    assertEquals(
        "Sequential(\n"
            + "  (0): Identity()\n"
            + "  (1): Sequential(\n"
            + "    (0): BatchNormState()\n"
            + "  )\n"
            + ")",
        seq.toString());
  }
}
