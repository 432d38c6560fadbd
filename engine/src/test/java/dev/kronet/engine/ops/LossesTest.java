package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class LossesTest {
  /** log softmax of one row in double, the textbook way (shifted by the max). */
  private static double[] logSoftmaxRef(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : row) {
      sum += Math.exp(v - max);
    }
    double[] out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = row[j] - max - Math.log(sum);
    }
    return out;
  }

  private static double[] row(Tensor t, int i, double scale) {
    int k = t.size(1);
    double[] r = new double[k];
    for (int j = 0; j < k; j++) {
      r[j] = t.get(i, j) * scale;
    }
    return r;
  }

  @Test
  void logSoftmaxGradientMatchesFiniteDifferences() {
    Property.check(
        "logSoftmaxGradientMatchesFiniteDifferences",
        30,
        NnCases.of(1, 3, 7),
        c -> {
          Tensor x = Tensor.normal(c.rng(), 0f, 2f, c.shape()).requiresGrad(true);
          GradCheck.create().check("logSoftmax", in -> Losses.logSoftmax(in[0]), x);
        });
  }

  @Test
  void logSoftmaxIsStableForLargeLogits() {
    float[] y = Losses.logSoftmax(Tensor.vector(1000f, 1000f, 0f)).toArray();
    float ln2 = (float) Math.log(2);
    assertArrayEquals(new float[] {-ln2, -ln2, -1000f - ln2}, y, 1e-4f);
  }

  /** logits [[1, 2, 3], [0.5, −1, 0]], targets {2, 0}, computed in double from the definition. */
  private static double handCrossEntropy(double smoothing) {
    double[][] logits = {{1, 2, 3}, {0.5, -1, 0}};
    int[] targets = {2, 0};
    double total = 0;
    for (int i = 0; i < 2; i++) {
      double lse =
          Math.log(Math.exp(logits[i][0]) + Math.exp(logits[i][1]) + Math.exp(logits[i][2]));
      double nll = lse - logits[i][targets[i]];
      double uniform = 0;
      for (int j = 0; j < 3; j++) {
        uniform += (lse - logits[i][j]) / 3;
      }
      total += (1 - smoothing) * nll + smoothing * uniform;
    }
    return total / 2;
  }

  @Test
  void crossEntropyEqualsTheHandComputedValueWithAndWithoutSmoothing() {
    Tensor logits = Tensor.of(new float[] {1, 2, 3, 0.5f, -1, 0}, 2, 3);
    // Without smoothing: row 0 log(1 + e^−1 + e^−2) = log 1.503215 = 0.407606; row 1
    // log(e^0.5 + e^−1 + 1) − 0.5 = log 3.016600 − 0.5 = 0.604131; mean 0.505869.
    assertEquals(0.505869, handCrossEntropy(0), 1e-6);
    assertEquals(
        handCrossEntropy(0), Losses.crossEntropy(logits, new int[] {2, 0}, 0f).item(), 1e-6);
    assertEquals(
        handCrossEntropy(0.1), Losses.crossEntropy(logits, new int[] {2, 0}, 0.1f).item(), 1e-6);
    assertEquals(
        handCrossEntropy(1.0), Losses.crossEntropy(logits, new int[] {2, 0}, 1f).item(), 1e-6);
  }

  @Test
  void crossEntropyGradientMatchesFiniteDifferences() {
    Property.check(
        "crossEntropyGradientMatchesFiniteDifferences",
        30,
        NnCases.of(2, 2, 7),
        c -> {
          Rng rng = c.rng();
          int n = c.shape()[0];
          int k = c.shape()[1];
          int[] targets = new int[n];
          for (int i = 0; i < n; i++) {
            targets[i] = rng.nextInt(k);
          }
          float smoothing = rng.nextBoolean() ? 0f : rng.nextFloat() * 0.5f;
          Tensor logits = Tensor.normal(rng, 0f, 2f, c.shape()).requiresGrad(true);
          GradCheck.create()
              .check(
                  "crossEntropy(ε=" + smoothing + ")",
                  in -> Losses.crossEntropy(in[0], targets, smoothing),
                  logits);
        });
  }

  @Test
  void outOfRangeTargetsNameTheIndexTheLabelAndTheClassCount() {
    Tensor logits = Tensor.zeros(3, 4);
    KronetException e =
        assertThrows(
            KronetException.class, () -> Losses.crossEntropy(logits, new int[] {0, 4, 1}, 0f));
    String m = e.getMessage();
    assertTrue(m.contains("targets[1]") && m.contains("= 4") && m.contains("< 4"), m);
    e =
        assertThrows(
            KronetException.class, () -> Losses.crossEntropy(logits, new int[] {0, 1, -1}, 0f));
    assertTrue(e.getMessage().contains("targets[2] = -1"), e.getMessage());
    e = assertThrows(KronetException.class, () -> Losses.crossEntropy(logits, new int[] {0}, 0f));
    assertTrue(e.getMessage().contains("1 targets"), e.getMessage());
    e =
        assertThrows(
            KronetException.class, () -> Losses.crossEntropy(logits, new int[] {0, 1, 2}, 1.5f));
    assertTrue(e.getMessage().contains("labelSmoothing"), e.getMessage());
  }

  /** KL(softmax(t/T) ‖ softmax(s/T))·T²/N, in double. */
  private static double distillationRef(Tensor s, Tensor t, double temperature) {
    int n = s.size(0);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] logq = logSoftmaxRef(row(s, i, 1 / temperature));
      double[] logp = logSoftmaxRef(row(t, i, 1 / temperature));
      for (int j = 0; j < logp.length; j++) {
        total += Math.exp(logp[j]) * (logp[j] - logq[j]);
      }
    }
    return total * temperature * temperature / n;
  }

  @Test
  void distillationLossMatchesADoublePrecisionReference() {
    Property.check(
        "klDivDistillationEqualsDoubleReference",
        30,
        NnCases.of(2, 2, 9),
        c -> {
          Rng rng = c.rng();
          float temperature = 0.5f + 7.5f * rng.nextFloat();
          Tensor s = Tensor.normal(rng, 0f, 3f, c.shape());
          Tensor t = Tensor.normal(rng, 0f, 3f, c.shape());
          double expected = distillationRef(s, t, temperature);
          float actual = Losses.klDivDistillation(s, t, temperature).item();
          assertEquals(expected, actual, 1e-5 * (1 + Math.abs(expected)));
          assertTrue(actual >= -1e-6f, "KL divergence is non-negative, got " + actual);
        });
  }

  @Test
  void distillationGradientReachesOnlyTheStudent() {
    Property.check(
        "klDivDistillationGradientMatchesFiniteDifferences",
        25,
        NnCases.of(2, 2, 7),
        c -> {
          Rng rng = c.rng();
          float temperature = 1f + 4f * rng.nextFloat();
          Tensor s = Tensor.normal(rng, 0f, 2f, c.shape()).requiresGrad(true);
          Tensor t = Tensor.normal(rng, 0f, 2f, c.shape()).requiresGrad(true);
          GradCheck.create()
              .check("klDivDistillation", in -> Losses.klDivDistillation(in[0], t, temperature), s);
          t.zeroGrad();
          s.zeroGrad();
          Losses.klDivDistillation(s, t, temperature).backward();
          assertNull(t.grad(), "the teacher is a constant");
        });
  }

  @Test
  void distillationOfIdenticalLogitsIsZero() {
    Tensor x = Tensor.randn(new Rng(9), 3, 5).requiresGrad(true);
    Tensor loss = Losses.klDivDistillation(x, x.detach(), 2f);
    assertEquals(0f, loss.item(), 1e-6f);
    loss.backward();
    assertArrayEquals(new float[15], x.grad().toArray(), 1e-6f);
  }

  @Test
  void distillationRejectsBadArguments() {
    KronetException e =
        assertThrows(
            KronetException.class,
            () -> Losses.klDivDistillation(Tensor.zeros(2, 3), Tensor.zeros(2, 4), 2f));
    assertTrue(e.getMessage().contains("[2, 4]"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () -> Losses.klDivDistillation(Tensor.zeros(2, 3), Tensor.zeros(2, 3), 0f));
    assertTrue(e.getMessage().contains("temperature"), e.getMessage());
  }

  @Test
  void mseIsTheMeanSquaredDifferenceAndItsGradientMatches() {
    Tensor x = Tensor.vector(1f, 2f, 3f);
    Tensor y = Tensor.vector(0f, 4f, 3f);
    assertEquals((1 + 4 + 0) / 3.0, Losses.mse(x, y).item(), 1e-7);
    Property.check(
        "mseGradientMatchesFiniteDifferences",
        20,
        NnCases.of(1, 3, 6),
        c -> {
          Tensor a = Tensor.randn(c.rng(), c.shape()).requiresGrad(true);
          Tensor b = Tensor.randn(new Rng(c.seed() + 1), c.shape()).requiresGrad(true);
          GradCheck.create().check("mse", in -> Losses.mse(in[0], in[1]), a, b);
        });
    KronetException e =
        assertThrows(KronetException.class, () -> Losses.mse(Tensor.zeros(2, 3), Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
  }
}
