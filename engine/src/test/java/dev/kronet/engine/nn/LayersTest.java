package dev.kronet.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Activations;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.engine.ops.Normalization;
import dev.kronet.engine.ops.Pooling;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layers are thin: each must compute exactly its op with its own parameters and state. */
class LayersTest {
  @Test
  void conv2dAppliesItsWeightBiasAndSpec() {
    Rng rng = new Rng(1);
    ConvSpec spec = ConvSpec.of(2, 1, 1, 2);
    Conv2d conv = new Conv2d(4, 6, 3, 3, spec, true, rng);
    assertArrayEquals(new int[] {6, 2, 3, 3}, conv.weight().shape());
    Tensor x = Tensor.randn(rng, 2, 4, 7, 7);
    assertArrayEquals(
        Convolution.conv2d(x, conv.weight(), conv.bias(), spec).toArray(),
        conv.forward(x).toArray());
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
    assertNull(new Conv2d(4, 6, 1, 1, 0, false, rng).bias());
  }

  @Test
  void conv2dDefaultInitMatchesPyTorchBounds() {
    Conv2d conv = new Conv2d(16, 32, 3, 1, 1, true, new Rng(3));
    double bound = 1 / Math.sqrt(16 * 9);
    float max = 0;
    for (float v : conv.weight().toArray()) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " vs bound " + bound);
  }

  @Test
  void conv2dRejectsGroupsThatDoNotDivide() {
    var e =
        assertThrows(
            KronetException.class,
            () -> new Conv2d(4, 6, 3, 3, ConvSpec.of(1, 1, 1, 4), false, new Rng(1)));
    assertTrue(e.getMessage().contains("groups=4"), e.getMessage());
  }

  @Test
  void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
    BatchNorm2d bn = new BatchNorm2d(3);
    Tensor x = Tensor.randn(new Rng(5), 4, 3, 2, 2);
    Tensor rm = Tensor.zeros(3);
    Tensor rv = Tensor.ones(3);
    Tensor expected =
        Normalization.batchNorm(x, rm, rv, Tensor.ones(3), Tensor.zeros(3), true, 0.1f, 1e-5f);
    assertArrayEquals(expected.toArray(), bn.forward(x).toArray());
    assertArrayEquals(rm.toArray(), bn.runningMean().toArray());
    assertArrayEquals(rv.toArray(), bn.runningVar().toArray());
    assertEquals(1, bn.numBatchesTracked());
    bn.eval();
    float[] before = bn.runningMean().toArray();
    Tensor evalOut = bn.forward(x);
    assertArrayEquals(before, bn.runningMean().toArray());
    assertEquals(1, bn.numBatchesTracked());
    assertNotEquals(expected.get(0, 0, 0, 0), evalOut.get(0, 0, 0, 0));
    assertEquals(
        List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
        List.copyOf(bn.stateDict().keySet()));
  }

  @Test
  void linearActivationsPoolsAndDropoutMatchTheirOps() {
    Rng rng = new Rng(9);
    Linear fc = new Linear(5, 3, true, rng);
    Tensor v = Tensor.randn(rng, 2, 5);
    assertArrayEquals(
        dev.kronet.engine.ops.Linear.linear(v, fc.weight(), fc.bias()).toArray(),
        fc.forward(v).toArray());
    Tensor x = Tensor.randn(rng, 2, 3, 6, 6);
    assertArrayEquals(Activations.relu(x).toArray(), Activation.relu().forward(x).toArray());
    assertArrayEquals(
        Activations.hardswish(x).toArray(), Activation.hardswish().forward(x).toArray());
    assertArrayEquals(
        Pooling.maxPool2d(x, 3, 2, 1).toArray(), Pool.max(3, 2, 1).forward(x).toArray());
    assertArrayEquals(
        Pooling.adaptiveAvgPool2d(x, 1, 1).toArray(), Pool.adaptiveAvg(1, 1).forward(x).toArray());
    assertArrayEquals(new int[] {2, 108}, Pool.flatten().forward(x).shape());
    DropoutLayer drop = new DropoutLayer(0.5f, new Rng(1));
    drop.eval();
    assertArrayEquals(x.toArray(), drop.forward(x).toArray());
    drop.train();
    float[] dropped = drop.forward(x).toArray();
    int zeros = 0;
    for (float d : dropped) {
      zeros += d == 0 ? 1 : 0;
    }
    assertTrue(zeros > 0 && zeros < dropped.length, "some but not all elements dropped");
  }

  @Test
  void aSmallNetworkLearnsThroughItsLayers() {
    Rng rng = new Rng(11);
    Sequential net =
        new Sequential(
            new Conv2d(1, 4, 3, 1, 1, false, rng),
            new BatchNorm2d(4),
            Activation.relu(),
            Pool.adaptiveAvg(1, 1),
            Pool.flatten(),
            new Linear(4, 2, true, rng));
    // Class 0: bright top half; class 1: bright bottom half.
    Tensor x = Tensor.zeros(8, 1, 4, 4);
    int[] y = new int[8];
    for (int n = 0; n < 8; n++) {
      y[n] = n % 2;
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          boolean top = i < 2;
          x.data()[n * 16 + i * 4 + j] = (top == (y[n] == 0) ? 1f : 0f) + 0.1f * n;
        }
      }
    }
    float first = 0;
    float last = 0;
    for (int step = 0; step < 60; step++) {
      net.zeroGrad();
      Tensor loss = dev.kronet.engine.ops.Losses.crossEntropy(net.forward(x), y, 0f);
      loss.backward();
      for (Tensor p : net.parameters()) {
        float[] w = p.data();
        float[] g = p.grad().toArray();
        for (int i = 0; i < g.length; i++) {
          w[i] -= 0.2f * g[i];
        }
      }
      if (step == 0) {
        first = loss.item();
      }
      last = loss.item();
    }
    assertTrue(last < 0.5f * first, "loss " + first + " → " + last);
  }
}
