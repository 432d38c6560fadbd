package dev.kronet.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.TestModules.BatchNormState;
import dev.kronet.engine.nn.TestModules.ConvState;
import dev.kronet.engine.nn.TestModules.Net;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {
  @TempDir Path dir;

  /** A net whose every value differs from a fresh one: random weights, stats and counters. */
  private static Net trained(long seed) {
    Net net = new Net(3, 5, new Rng(seed));
    Rng rng = new Rng(seed + 1);
    for (Map.Entry<String, Buffer> b : net.namedBuffers().entrySet()) {
      switch (b.getValue()) {
        case TensorBuffer t -> Init.uniform(t.tensor(), 0.5, 2, rng);
        case Counter c -> c.set((1L << 40) + rng.nextInt(1000)); // beyond float32's exact range
      }
    }
    return net;
  }

  @Test
  void loadingCopiesValuesIntoTheExistingTensors() {
    Net source = trained(1);
    Net target = new Net(3, 5, new Rng(99));
    List<Tensor> before = target.parameters();
    Map<String, Buffer> buffersBefore = target.namedBuffers();
    LoadResult result = target.loadStateDict(source.stateDict(), true);

    assertEquals(new LoadResult(List.of(), List.of()), result);
    assertEquals(source.stateDict(), target.stateDict());
    List<Tensor> after = target.parameters();
    for (int i = 0; i < before.size(); i++) {
      assertSame(before.get(i), after.get(i), "optimiser references stay valid");
    }
    TensorBuffer mean = (TensorBuffer) buffersBefore.get("bn1.running_mean");
    assertArrayEquals(
        ((TensorBuffer) source.namedBuffers().get("bn1.running_mean")).tensor().toArray(),
        mean.tensor().toArray());
    Counter counter = (Counter) buffersBefore.get("layer1.1.bn2.num_batches_tracked");
    assertEquals(
        ((Counter) source.namedBuffers().get("layer1.1.bn2.num_batches_tracked")).get(),
        counter.get());
  }

  @Test
  void aStateDictIsASnapshotNotAView() {
    Net net = trained(2);
    Map<String, StoredTensor> state = net.stateDict();
    Init.zeros(net.parameters().get(0));
    ((Counter) net.namedBuffers().get("bn1.num_batches_tracked")).increment();
    assertNotEquals(state, net.stateDict());
    net.loadStateDict(state, true);
    assertEquals(state, net.stateDict());
  }

  @Test
  void saveAndLoadThroughASafetensorsFileRestoresEveryValue() {
    Path file = dir.resolve("net.safetensors");
    Net source = trained(3);
    ModuleFiles.save(source, file, Map.of("epoch", "7"));
    Net target = new Net(3, 5, new Rng(42));
    ModuleFiles.load(target, file, true);
    assertEquals(source.stateDict(), target.stateDict());
    assertEquals(Map.of("epoch", "7"), SafeTensors.read(file).metadata());
  }

  /** Sequentials of random conv/batch-norm layers: state survives file round trips exactly. */
  @Test
  void stateRoundTripsThroughAFileForRandomArchitectures() {
    Path file = dir.resolve("random.safetensors");
    Gen<List<Integer>> widths =
        Gen.of(
            (rng, size) -> {
              List<Integer> w = new ArrayList<>();
              for (int i = rng.nextInt(1, 4); i > 0; i--) {
                w.add(Gens.ints(1, 6).sample(rng, size));
              }
              return w;
            });
    Property.check(
        "loadInvertsSave",
        20,
        widths,
        w -> {
          Module source = stack(w, new Rng(w.hashCode()));
          for (Buffer b : source.namedBuffers().values()) {
            if (b instanceof Counter c) {
              c.set(w.size() * 1000L + 1);
            }
          }
          ModuleFiles.save(source, file, Map.of());
          Module target = stack(w, new Rng(w.hashCode() + 1));
          ModuleFiles.load(target, file, true);
          assertEquals(source.stateDict(), target.stateDict());
        });
  }

  private static Module stack(List<Integer> widths, Rng rng) {
    List<Module> layers = new ArrayList<>();
    int in = 2;
    for (int w : widths) {
      layers.add(new ConvState(w, in, 3, true, rng));
      layers.add(new BatchNormState(w));
      in = w;
    }
    return new Sequential(layers);
  }

  // ---------------------------------------------------------------- mismatches

  @Test
  void strictLoadingReportsEveryMissingAndUnexpectedKey() {
    Net net = new Net(3, 5, new Rng(1));
    Map<String, StoredTensor> state = new LinkedHashMap<>(trained(4).stateDict());
    state.remove("fc.bias");
    state.remove("bn1.num_batches_tracked");
    state.put("head.weight", StoredTensor.ofFloats(new float[] {1}, 1));
    Map<String, StoredTensor> before = net.stateDict();

    StateDictException e =
        assertThrows(StateDictException.class, () -> net.loadStateDict(state, true));
    assertEquals(List.of("bn1.num_batches_tracked", "fc.bias"), e.missingKeys());
    assertEquals(List.of("head.weight"), e.unexpectedKeys());
    assertTrue(
        e.getMessage().contains("missing keys (2): bn1.num_batches_tracked, fc.bias"),
        e.getMessage());
    assertTrue(e.getMessage().contains("unexpected keys (1): head.weight"), e.getMessage());
    assertEquals(before, net.stateDict(), "a failed load changes nothing");
  }

  @Test
  void nonStrictLoadingSkipsWhatIsMissingAndReportsIt() {
    Net net = new Net(3, 5, new Rng(1));
    Map<String, StoredTensor> state = new LinkedHashMap<>(trained(4).stateDict());
    state.remove("fc.bias");
    state.put("head.weight", StoredTensor.ofFloats(new float[] {1}, 1));
    float[] fcBias = net.namedParameters().get("fc.bias").toArray();

    LoadResult r = net.loadStateDict(state, false);
    assertEquals(new LoadResult(List.of("fc.bias"), List.of("head.weight")), r);
    assertArrayEquals(fcBias, net.namedParameters().get("fc.bias").toArray());
    assertEquals(state.get("fc.weight"), net.stateDict().get("fc.weight"));
  }

  @Test
  void shapeAndDtypeMismatchesAreReportedWithBothSidesEvenWhenNotStrict() {
    Net net = new Net(3, 5, new Rng(1));
    Map<String, StoredTensor> state = new LinkedHashMap<>(net.stateDict());
    state.put("fc.weight", StoredTensor.ofFloats(new float[12], 4, 3));
    state.put("bn1.num_batches_tracked", StoredTensor.ofFloats(new float[] {2}));
    state.put("bn1.bias", StoredTensor.ofLongs(new long[3], 3));
    Map<String, StoredTensor> before = net.stateDict();

    StateDictException e =
        assertThrows(StateDictException.class, () -> net.loadStateDict(state, false));
    assertEquals(
        List.of(
            new StateDictException.Mismatch("bn1.bias", "F32 [3]", "I64 [3]"),
            new StateDictException.Mismatch("bn1.num_batches_tracked", "I64 []", "F32 []"),
            new StateDictException.Mismatch("fc.weight", "F32 [5, 3]", "F32 [4, 3]")),
        e.mismatches());
    assertTrue(
        e.getMessage()
            .contains("fc.weight: the module has F32 [5, 3], the state dict has F32 [4, 3]"),
        e.getMessage());
    assertEquals(before, net.stateDict(), "a failed load changes nothing");
  }

  @Test
  void otherFloatAndIntegerWidthsLoadByConversion() {
    BatchNormState bn = new BatchNormState(2);
    Map<String, StoredTensor> state = new LinkedHashMap<>();
    state.put("weight", StoredTensor.ofDoubles(new double[] {0.25, -4}, 2));
    // F16 0x3C00 = 1.0, 0xC000 = -2.0
    state.put(
        "bias", new StoredTensor(DType.F16, new int[] {2}, new byte[] {0, 0x3C, 0, (byte) 0xC0}));
    state.put("running_mean", StoredTensor.ofFloats(new float[] {3, 4}, 2));
    state.put("running_var", StoredTensor.ofFloats(new float[] {5, 6}, 2));
    state.put("num_batches_tracked", StoredTensor.ofInts(new int[] {9}));
    bn.loadStateDict(state, true);
    assertArrayEquals(new float[] {0.25f, -4f}, bn.weight.toArray());
    assertArrayEquals(new float[] {1f, -2f}, bn.bias.toArray());
    assertArrayEquals(new float[] {5f, 6f}, bn.runningVar.toArray());
    assertEquals(9, bn.numBatchesTracked.get());
  }
}
