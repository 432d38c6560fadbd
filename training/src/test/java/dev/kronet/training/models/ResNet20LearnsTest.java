package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Losses;
import dev.kronet.training.optim.NamedParameter;
import dev.kronet.training.optim.ParamGroup;
import dev.kronet.training.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** End to end: the zoo's ResNet-20 trains — its loss falls over a few SGD steps on one batch. */
class ResNet20LearnsTest {
  @Test
  void lossFallsInAFewSgdSteps() {
    int batch = 8;
    ImageDataset data =
        SyntheticImages.generate(new SyntheticImages.Spec(batch, 1, 8, 8, 4, 2026, 0.05));
    float[] pixels = new float[batch * 64];
    for (int i = 0; i < batch; i++) {
      data.copyImageTo(i, pixels, i * 64);
    }
    Tensor x = Tensor.wrap(pixels, batch, 1, 8, 8);
    int[] y = data.labels();

    Module net = ModelZoo.create("resnet20", 1, 4, ConvFactory.DENSE, new Rng(3));
    List<NamedParameter> params = new ArrayList<>();
    for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
      params.add(new NamedParameter(p.getKey(), p.getValue()));
    }
    Sgd sgd = new Sgd(List.of(new ParamGroup(params, 0)), 0.9, 0, false);
    float first = Float.NaN;
    float last = Float.NaN;
    for (int step = 0; step < 6; step++) {
      net.zeroGrad();
      Tensor loss = Losses.crossEntropy(net.forward(x), y, 0f);
      loss.backward();
      sgd.step(0.05);
      last = loss.item();
      if (step == 0) {
        first = last;
      }
    }
    assertTrue(last < 0.25f * first, "loss went from " + first + " to " + last);
  }
}
