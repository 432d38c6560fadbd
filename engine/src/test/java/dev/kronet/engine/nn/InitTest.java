package dev.kronet.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class InitTest {
  @Test
  void fansFollowPytorchForLinearAndConvWeights() {
    assertEquals(new Init.Fans(20, 10), Init.fans(10, 20)); // Linear [out, in]
    assertEquals(new Init.Fans(36, 72), Init.fans(8, 4, 3, 3)); // Conv2d [F, C/g, kh, kw]
    assertEquals(new Init.Fans(14, 35), Init.fans(5, 2, 7)); // Conv1d [F, C, k]
    KronetException e = assertThrows(KronetException.class, () -> Init.fans(7));
    assertTrue(e.getMessage().contains("[7]"), e.getMessage());
    assertThrows(KronetException.class, () -> Init.fans());
  }

  @Test
  void theDefaultKaimingBoundIsOneOverRootFanIn() {
    // a = √5: gain² = 2/(1+5) = 1/3, so bound = √3·√(1/3)/√fan_in = 1/√fan_in.
    Property.check(
        "kaimingBoundWithSqrt5",
        50,
        Gens.ints(1, 100_000),
        fanIn ->
            assertEquals(
                1 / Math.sqrt(fanIn), Init.kaimingUniformBound(fanIn, Math.sqrt(5)), 1e-15));
    assertEquals(Math.sqrt(6.0 / 576), Init.kaimingUniformBound(576, 0), 1e-15); // ReLU gain √2
    assertThrows(KronetException.class, () -> Init.kaimingUniformBound(0, 0));
  }

  /**
   * For n = 147 456 draws of U[-b, b]: every |w| ≤ b; the largest exceeds b(1 − 10⁻³) except with
   * probability (1 − 10⁻³)ⁿ ≈ e⁻¹⁴⁷; mean and E[w²] sit within 6 standard errors of 0 and b²/3
   * (σ(w) = b/√3, σ(w²) = b²·√(4/45)).
   */
  @Test
  void kaimingUniformSamplesFillTheBoundWithTheUniformVariance() {
    Tensor w = Tensor.zeros(256, 64, 3, 3);
    Init.kaimingUniform(w, Math.sqrt(5), new Rng(2026));
    double b = 1 / 24.0; // fan_in = 64·3·3 = 576
    float[] v = w.toArray();
    int n = v.length;
    double max = 0;
    double sum = 0;
    double sumSq = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
      sum += x;
      sumSq += (double) x * x;
    }
    assertTrue(max <= (float) b, "max |w| " + max + " exceeds bound " + b);
    assertTrue(max >= b * (1 - 1e-3), "max |w| " + max + " far below bound " + b);
    assertEquals(0, sum / n, 6 * b / Math.sqrt(3 * n));
    assertEquals(b * b / 3, sumSq / n, 6 * b * b * Math.sqrt(4.0 / 45) / Math.sqrt(n));
  }

  @Test
  void theDefaultBiasIsUniformWithinOneOverRootFanIn() {
    Tensor w = Tensor.zeros(4096, 16);
    Tensor bias = Tensor.zeros(4096);
    Init.defaultConvOrLinear(w, bias, new Rng(5));
    double bound = 0.25; // 1/√16
    double maxB = 0;
    for (float x : bias.toArray()) {
      maxB = Math.max(maxB, Math.abs(x));
    }
    // (1 − 10⁻²)^4096 ≈ e⁻⁴¹: the largest of 4096 draws reaches 99% of the bound.
    assertTrue(maxB <= bound && maxB >= 0.99 * bound, "max |bias| " + maxB);
    double maxW = 0;
    for (float x : w.toArray()) {
      maxW = Math.max(maxW, Math.abs(x));
    }
    assertTrue(maxW <= bound && maxW >= 0.999 * bound, "max |w| " + maxW);
  }

  @Test
  void aSeedDeterminesTheValuesInRowMajorOrderWhateverTheLayout() {
    Tensor contiguous = Init.kaimingUniform(Tensor.zeros(3, 4), 0, new Rng(9));
    Tensor storage = Tensor.zeros(4, 3);
    Tensor view = storage.transpose(0, 1); // shape [3, 4], non-contiguous
    Init.kaimingUniform(view, 0, new Rng(9));
    assertArrayEquals(contiguous.toArray(), view.toArray());
    assertArrayEquals(
        contiguous.toArray(), Init.kaimingUniform(Tensor.zeros(3, 4), 0, new Rng(9)).toArray());
  }

  /** n = 100 000 draws: mean within 6σ/√n, variance within 6·σ²√(2/n) (normal fourth moment). */
  @Test
  void normalSamplesHaveTheRequestedMeanAndSpread() {
    int n = 100_000;
    float[] v = Init.normal(Tensor.zeros(n), 3, 0.5, new Rng(11)).toArray();
    double sum = 0;
    for (float x : v) {
      sum += x;
    }
    double mean = sum / n;
    double ss = 0;
    for (float x : v) {
      ss += (x - mean) * (x - mean);
    }
    assertEquals(3, mean, 6 * 0.5 / Math.sqrt(n));
    assertEquals(0.25, ss / (n - 1), 6 * 0.25 * Math.sqrt(2.0 / n));
  }

  @Test
  void constantsAndEdgeCases() {
    assertArrayEquals(new float[] {0, 0}, Init.zeros(Tensor.full(4, 2)).toArray());
    assertArrayEquals(new float[] {1, 1}, Init.ones(Tensor.zeros(2)).toArray());
    assertArrayEquals(new float[] {2.5f}, Init.constant(Tensor.zeros(1), 2.5f).toArray());
    Tensor empty = Tensor.zeros(0, 3, 3, 3);
    Init.kaimingUniform(empty, Math.sqrt(5), new Rng(1)); // zero elements: a no-op, as in PyTorch
    assertThrows(KronetException.class, () -> Init.uniform(Tensor.zeros(1), 1, 0, new Rng(1)));
    assertThrows(KronetException.class, () -> Init.normal(Tensor.zeros(1), 0, -1, new Rng(1)));
  }
}
