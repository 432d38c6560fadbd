package dev.kronet.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.SafeTensorsFile;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.TestModules.BatchNormState;
import dev.kronet.engine.nn.TestModules.ConvState;
import dev.kronet.engine.nn.TestModules.LinearState;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PyTorch state dict (written by {@code golden/make_torch_state_dict.py} with torch 1.13)
 * loads into the kronet module of the same architecture: same names in the same order, same dtypes
 * and shapes, values that add up to the sums PyTorch recorded, and PyTorch's own default
 * initialisation within the bounds {@link Init} computes.
 */
class TorchStateDictGoldenTest {
  @TempDir Path dir;

  /** The script's Net: stem conv, BatchNorm, layer1 = [grouped conv with bias, BatchNorm], fc. */
  static final class TorchNet extends Module {
    TorchNet(Rng rng) {
      registerModule("stem", new ConvState(8, 3, 3, false, rng));
      registerModule("bn", new BatchNormState(8));
      registerModule(
          "layer1", new Sequential(new ConvState(8, 8 / 2, 3, true, rng), new BatchNormState(8)));
      registerModule("fc", new LinearState(10, 128, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  private static SafeTensorsFile golden() {
    try {
      return SafeTensors.read(
          Path.of(
              TorchStateDictGoldenTest.class
                  .getResource("/golden/torch_state_dict.safetensors")
                  .toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void namesOrderDtypesAndShapesMatchPytorchsStateDict() {
    SafeTensorsFile file = golden();
    Map<String, StoredTensor> ours = new TorchNet(new Rng(1)).stateDict();
    assertEquals(List.copyOf(ours.keySet()), List.copyOf(file.tensors().keySet()));
    for (Map.Entry<String, StoredTensor> e : ours.entrySet()) {
      StoredTensor theirs = file.tensors().get(e.getKey());
      assertEquals(e.getValue().dtype(), theirs.dtype(), e.getKey());
      assertArrayEquals(e.getValue().shape(), theirs.shape(), e.getKey());
    }
  }

  @Test
  void valuesDecodeToTheSumsPytorchRecorded() {
    SafeTensorsFile file = golden();
    for (Map.Entry<String, StoredTensor> e : file.tensors().entrySet()) {
      double expected = Double.parseDouble(file.metadata().get("sum:" + e.getKey()));
      double sum = 0;
      double abs = 0;
      for (float x : e.getValue().toFloats()) {
        sum += x;
        abs += Math.abs(x);
      }
      // Both sides add the same float32 values in double; only the order of addition differs.
      assertEquals(expected, sum, 1e-12 * (abs + 1), e.getKey());
    }
  }

  @Test
  void strictLoadIntoTheKronetModuleKeepsTheInt64Counters() {
    SafeTensorsFile file = golden();
    TorchNet net = new TorchNet(new Rng(1));
    assertEquals(new LoadResult(List.of(), List.of()), net.loadStateDict(file.tensors(), true));
    for (String counter : List.of("bn.num_batches_tracked", "layer1.1.num_batches_tracked")) {
      long expected = (long) Double.parseDouble(file.metadata().get("sum:" + counter));
      assertEquals(expected, ((Counter) net.namedBuffers().get(counter)).get(), counter);
    }
    assertEquals(file.tensors(), net.stateDict());

    Path copy = dir.resolve("copy.safetensors");
    ModuleFiles.save(net, copy, Map.of());
    assertEquals(file.tensors(), SafeTensors.read(copy).tensors());
  }

  @Test
  void pytorchsDefaultInitialisationStaysWithinInitsBounds() {
    Map<String, StoredTensor> t = golden().tensors();
    for (String name : List.of("stem.weight", "layer1.0.weight", "fc.weight")) {
      StoredTensor w = t.get(name);
      double bound = Init.kaimingUniformBound(Init.fans(w.shape()).fanIn(), Math.sqrt(5));
      assertTrue(maxAbs(w) <= (float) bound, name + ": " + maxAbs(w) + " > " + bound);
    }
    // fc.weight has 1280 draws: (1 − 0.01)^1280 ≈ e⁻¹³ is the chance its maximum is below 99%.
    StoredTensor fc = t.get("fc.weight");
    assertTrue(maxAbs(fc) >= 0.99 / Math.sqrt(128), "fc.weight max " + maxAbs(fc));
    assertTrue(maxAbs(t.get("fc.bias")) <= 1 / Math.sqrt(128));
    assertTrue(maxAbs(t.get("layer1.0.bias")) <= 1 / Math.sqrt(4 * 9)); // groups=2: fan_in = 4·3·3
  }

  private static double maxAbs(StoredTensor t) {
    double m = 0;
    for (float x : t.toFloats()) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
