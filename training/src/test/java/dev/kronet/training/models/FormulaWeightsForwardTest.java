package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The squeeze-excitation blocks, MobileNetV2's inverted residuals (depthwise convs, projection
 * shortcuts) and the bottleneck compute what PyTorch computes: every tensor of the state dict is
 * set by the closed form of {@code formula_fill} in {@code golden/make_model_golden.py} (so no
 * weight files are needed), and the eval-mode outputs on a closed-form input are compared with
 * PyTorch's under {@link TorchAgreement}'s tolerance.
 */
class FormulaWeightsForwardTest {
  static Stream<JsonObject> cases() throws IOException {
    try (InputStream in =
        FormulaWeightsForwardTest.class.getResourceAsStream("/golden/model_golden.json")) {
      JsonArray all =
          JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .getAsJsonObject()
              .getAsJsonArray("formula_forward");
      List<JsonObject> out = new ArrayList<>();
      all.forEach(e -> out.add(e.getAsJsonObject()));
      return out.stream();
    }
  }

  /** The script's formula_fill, entry by entry in state-dict order. */
  static void formulaFill(Module net) {
    Map<String, StoredTensor> state = new LinkedHashMap<>();
    int k = 0;
    for (Map.Entry<String, StoredTensor> e : net.stateDict().entrySet()) {
      String name = e.getKey();
      StoredTensor t = e.getValue();
      int[] shape = t.shape();
      if (!t.dtype().isFloating()) {
        state.put(name, t);
        k++;
        continue;
      }
      float[] v = new float[t.numel()];
      double fanIn = shape.length >= 2 ? (double) v.length / shape[0] : 1;
      for (int i = 0; i < v.length; i++) {
        double value;
        if (name.endsWith("running_var")) {
          value = 1 + 0.5 * Math.sin(0.7 * i + k);
        } else if (name.endsWith("running_mean")) {
          value = 0.1 * Math.sin(0.3 * i + k);
        } else if (shape.length == 1) {
          value =
              name.endsWith("weight")
                  ? 1 + 0.25 * Math.sin(0.9 * i + k)
                  : 0.1 * Math.sin(0.9 * i + k);
        } else {
          value = Math.sin(1.3 * i + 0.5 * k) / Math.sqrt(fanIn);
        }
        v[i] = (float) value;
      }
      state.put(name, StoredTensor.ofFloats(v, shape));
      k++;
    }
    net.loadStateDict(state, true);
  }

  private static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }

  private static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsDouble();
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evalForwardMatchesPytorch(JsonObject c) {
    String model = c.get("model").getAsString();
    int in = c.get("in_channels").getAsInt();
    int classes = c.get("num_classes").getAsInt();
    int batch = c.get("batch").getAsInt();
    int size = c.get("size").getAsInt();
    Module net = ModelZoo.create(model, in, classes, ConvFactory.DENSE, new Rng(1));
    formulaFill(net);
    net.eval();
    float[] x = new float[batch * in * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(0.11 * i);
    }
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      Tensor y = net.forward(Tensor.wrap(x, batch, in, size, size));
      assertArrayEquals(new int[] {batch, classes}, y.shape());
      TorchAgreement.assertAgrees(
          model,
          y.contiguousData(),
          floats(c.getAsJsonArray("output_eval")),
          doubles(c.getAsJsonArray("output_eval_f64")));
    }
  }
}
