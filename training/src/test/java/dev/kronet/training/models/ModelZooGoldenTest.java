package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.kronet.engine.Rng;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model has PyTorch's state dict for the same definition — the same keys in the same
 * order with the same shapes and dtypes, hence the same parameter count — so a PyTorch state dict
 * loads here strictly and a kronet one loads there. The fixture {@code golden/model_golden.json} is
 * written by {@code golden/make_model_golden.py} from the PyTorch definitions. The same fixture
 * lists every {@code nn.Conv2d} with its arguments: the {@link ConvFactory} must be asked for
 * exactly those, by the same dotted names, in the same order.
 */
class ModelZooGoldenTest {
  private static JsonArray cases;

  @BeforeAll
  static void readFixture() throws IOException {
    try (InputStream in =
        ModelZooGoldenTest.class.getResourceAsStream("/golden/model_golden.json")) {
      JsonObject root =
          JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .getAsJsonObject();
      cases = root.getAsJsonArray("cases");
    }
  }

  static Stream<Integer> caseIndices() throws IOException {
    readFixture();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      out.add(i);
    }
    return out.stream();
  }

  private static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }

  @ParameterizedTest(name = "case {0}")
  @MethodSource("caseIndices")
  void stateDictAndConvCallsMatchPytorch(int index) {
    JsonObject c = cases.get(index).getAsJsonObject();
    String model = c.get("model").getAsString();
    int in = c.get("in_channels").getAsInt();
    int classes = c.get("num_classes").getAsInt();
    String label = model + "(" + in + ", " + classes + ")";
    RecordingFactory factory = new RecordingFactory();
    Module net = ModelZoo.create(model, in, classes, factory, new Rng(7));

    assertEquals(c.get("num_parameters").getAsLong(), net.numParameters(), label + " parameters");

    Map<String, StoredTensor> state = net.stateDict();
    JsonArray expected = c.getAsJsonArray("state_dict");
    List<String> expectedKeys = new ArrayList<>();
    for (JsonElement e : expected) {
      expectedKeys.add(e.getAsJsonArray().get(0).getAsString());
    }
    assertEquals(expectedKeys, List.copyOf(state.keySet()), label + " state-dict keys");
    for (JsonElement e : expected) {
      JsonArray entry = e.getAsJsonArray();
      String key = entry.get(0).getAsString();
      StoredTensor t = state.get(key);
      assertEquals(entry.get(1).getAsString(), t.dtype().name(), label + " dtype of " + key);
      assertArrayEquals(ints(entry.get(2).getAsJsonArray()), t.shape(), label + " shape of " + key);
    }

    JsonArray convs = c.getAsJsonArray("convs");
    List<RecordingFactory.Call> expectedCalls = new ArrayList<>();
    for (JsonElement e : convs) {
      JsonArray a = e.getAsJsonArray();
      int stride = a.get(4).getAsInt();
      int padding = a.get(5).getAsInt();
      int groups = a.get(6).getAsInt();
      expectedCalls.add(
          new RecordingFactory.Call(
              a.get(0).getAsString(),
              a.get(1).getAsInt(),
              a.get(2).getAsInt(),
              a.get(3).getAsInt(),
              ConvSpec.of(stride, padding, 1, groups),
              a.get(7).getAsBoolean()));
    }
    assertEquals(expectedCalls, factory.calls, label + " conv factory calls");
  }

  /** The factory's names are exactly the modules that own the 4-d weights of the state dict. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.kronet.training.models.ModelZooTest#smallModels")
  void factoryNamesAreTheConvWeightsOfTheStateDict(String model) {
    RecordingFactory factory = new RecordingFactory();
    Module net = ModelZoo.create(model, 3, 10, factory, new Rng(3));
    List<String> convWeights = new ArrayList<>();
    for (Map.Entry<String, StoredTensor> e : net.stateDict().entrySet()) {
      if (e.getKey().endsWith(".weight") && e.getValue().shape().length == 4) {
        convWeights.add(e.getKey().substring(0, e.getKey().length() - ".weight".length()));
      }
    }
    assertEquals(convWeights, factory.names());
  }

  @Test
  void fixtureCoversEveryRegisteredModel() {
    Set<String> covered = new TreeSet<>();
    for (JsonElement e : cases) {
      covered.add(e.getAsJsonObject().get("model").getAsString());
    }
    assertAll(
        () -> assertEquals(new TreeSet<>(ModelZoo.names()), covered),
        () -> assertEquals(ModelZoo.names().size(), Set.copyOf(ModelZoo.names()).size()));
  }
}
