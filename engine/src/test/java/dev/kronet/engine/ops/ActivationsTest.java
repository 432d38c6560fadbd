package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationsTest {
  private static final float MARGIN = 0.05f; // > GradCheck's eps of 0.01

  private static void gradCheckedAwayFrom(String op, UnaryOperator<Tensor> f, float... kinks) {
    Property.check(
        op + "GradientMatchesFiniteDifferences",
        25,
        NnCases.of(1, 3, 7),
        c -> {
          Tensor x =
              NnCases.awayFrom(c.rng(), -8f, 8f, MARGIN, kinks, c.shape()).requiresGrad(true);
          GradCheck.create().check(op, in -> f.apply(in[0]), x);
        });
  }

  @Test
  void reluGradient() {
    gradCheckedAwayFrom("relu", Activations::relu, 0f);
  }

  @Test
  void relu6Gradient() {
    gradCheckedAwayFrom("relu6", Activations::relu6, 0f, 6f);
  }

  @Test
  void leakyReluGradient() {
    gradCheckedAwayFrom("leakyRelu", x -> Activations.leakyRelu(x, 0.2f), 0f);
  }

  @Test
  void sigmoidGradient() {
    gradCheckedAwayFrom("sigmoid", Activations::sigmoid);
  }

  @Test
  void hardswishGradient() {
    gradCheckedAwayFrom("hardswish", Activations::hardswish, -3f, 3f);
  }

  private static float[] gradAt(UnaryOperator<Tensor> f, float... xs) {
    Tensor x = Tensor.vector(xs).requiresGrad(true);
    f.apply(x).backward(Tensor.ones(xs.length));
    return x.grad().toArray();
  }

  @Test
  void forwardValuesFollowTheDefinitions() {
    Tensor x = Tensor.vector(-4f, -3f, -1f, 0f, 2f, 3f, 6f, 7f);
    assertArrayEquals(new float[] {0, 0, 0, 0, 2, 3, 6, 7}, Activations.relu(x).toArray(), 0f);
    assertArrayEquals(new float[] {0, 0, 0, 0, 2, 3, 6, 6}, Activations.relu6(x).toArray(), 0f);
    assertArrayEquals(
        new float[] {-0.4f, -0.3f, -0.1f, 0, 2, 3, 6, 7},
        Activations.leakyRelu(x, 0.1f).toArray(),
        1e-7f);
    float[] hs = Activations.hardswish(x).toArray();
    float[] xs = x.toArray();
    for (int i = 0; i < xs.length; i++) {
      double expected = xs[i] * Math.min(Math.max(xs[i] + 3.0, 0), 6) / 6;
      assertEquals(expected, hs[i], 1e-6, "hardswish(" + xs[i] + ")");
    }
  }

  @Test
  void sigmoidIsStableAtExtremes() {
    float[] y = Activations.sigmoid(Tensor.vector(-1000f, -20f, 0f, 20f, 1000f)).toArray();
    assertEquals(0f, y[0], 0f);
    assertEquals(1 / (1 + Math.exp(20)), y[1], 1e-12);
    assertEquals(0.5f, y[2], 0f);
    assertEquals(1 / (1 + Math.exp(-20)), y[3], 1e-7);
    assertEquals(1f, y[4], 0f);
  }

  @Test
  void derivativesAtTheKinksFollowPyTorch() {
    // PyTorch 1.13: relu'(0) = 0, relu6'(0) = relu6'(6) = 0, leaky'(0) = slope,
    // hardswish'(-3) = -0.5 and hardswish'(3) = 1.5 (the interval [-3, 3] is closed).
    assertArrayEquals(new float[] {0f}, gradAt(Activations::relu, 0f), 0f);
    assertArrayEquals(new float[] {0f, 0f}, gradAt(Activations::relu6, 0f, 6f), 0f);
    assertArrayEquals(new float[] {0.2f}, gradAt(x -> Activations.leakyRelu(x, 0.2f), 0f), 0f);
    assertArrayEquals(
        new float[] {0f, -0.5f, 0.5f, 1.5f, 1f},
        gradAt(Activations::hardswish, -3.5f, -3f, 0f, 3f, 3.5f),
        1e-7f);
  }

  @Test
  void worksOnNonContiguousViews() {
    Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, 5, -6}, 2, 3).transpose(0, 1);
    assertArrayEquals(new float[] {0, 4, 2, 5, 0, 0}, Activations.relu(x).toArray(), 0f);
  }

  @Test
  void nonFiniteSlopeIsRejected() {
    KronetException e =
        assertThrows(
            KronetException.class, () -> Activations.leakyRelu(Tensor.vector(1f), Float.NaN));
    assertEquals(true, e.getMessage().contains("negativeSlope"));
  }
}
