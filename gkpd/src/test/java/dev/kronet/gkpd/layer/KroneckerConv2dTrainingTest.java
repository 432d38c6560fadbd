package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Losses;
import org.junit.jupiter.api.Test;

/**
 * End to end: gradients flow through the module's parameters, and plain SGD on randomly initialised
 * factors (Table 5's setting) fits a dense teacher convolution that the layer can represent exactly
 * (R̂ = the full Kronecker rank).
 */
class KroneckerConv2dTrainingTest {

  @Test
  void sgdFitsADenseTeacherConvolution() {
    Rng rng = new Rng(41);
    ConvSpec spec = ConvSpec.of(1, 1);
    Conv2d teacher = new Conv2d(4, 4, 3, 3, spec, true, rng);
    KroneckerConv2d student =
        KroneckerConv2d.random(
            4, 4, new int[] {2, 2, 3, 3}, new int[] {2, 2, 1, 1}, 4, spec, true, rng);
    Tensor x = Tensor.randn(rng, 8, 4, 6, 6);
    Tensor target;
    try (var off = Autograd.noGrad()) {
      target = teacher.forward(x).detach();
    }
    double first = Double.NaN;
    double last = Double.NaN;
    float lr = 0.5f;
    for (int step = 0; step < 150; step++) {
      student.zeroGrad();
      Tensor loss = Losses.mse(student.forward(x), target);
      loss.backward();
      if (step == 0) {
        first = loss.item();
      }
      last = loss.item();
      for (Tensor p : student.parameters()) {
        float[] g = p.grad().contiguousData();
        float[] d = p.data();
        for (int i = 0; i < g.length; i++) {
          d[p.offset() + i] -= lr * g[i];
        }
      }
    }
    assertTrue(last < 0.05 * first, "MSE went from " + first + " to " + last);
  }
}
