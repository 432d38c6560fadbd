package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class DropoutTest {
  @Test
  void evalModeAndZeroProbabilityAreTheIdentity() {
    Tensor x = Tensor.randn(new Rng(1), 3, 4);
    assertSame(x, Dropout.dropout(x, 0.5f, false, new Rng(2)));
    assertSame(x, Dropout.dropout(x, 0f, true, new Rng(2)));
  }

  @Test
  void eachElementIsDroppedOrScaledAndBackwardReusesTheMask() {
    Property.check(
        "dropoutKeepsOrZeroesAndGradientUsesSameMask",
        30,
        NnCases.of(1, 3, 9),
        c -> {
          float p = 0.1f + 0.8f * c.rng().nextFloat();
          Tensor x = Tensor.uniform(c.rng(), 0.5f, 2f, c.shape()).requiresGrad(true);
          Tensor y = Dropout.dropout(x, p, true, new Rng(c.seed() + 1));
          Tensor g = Tensor.uniform(new Rng(c.seed() + 2), -1f, 1f, c.shape());
          y.backward(g);
          float[] xv = x.toArray();
          float[] yv = y.toArray();
          float[] gv = g.toArray();
          float[] gx = x.grad().toArray();
          float scale = 1f / (1f - p);
          for (int i = 0; i < xv.length; i++) {
            if (yv[i] == 0f) {
              assertEquals(0f, gx[i], 0f, "dropped element " + i + " passes no gradient");
            } else {
              assertEquals(xv[i] * scale, yv[i], 1e-6f * Math.abs(yv[i]), "kept element " + i);
              assertEquals(gv[i] * scale, gx[i], 1e-6f, "kept element " + i + " gradient");
            }
          }
        });
  }

  @Test
  void keepFractionIsOneMinusPAndTheMeanIsPreserved() {
    int n = 200_000;
    float p = 0.3f;
    float[] y = Dropout.dropout(Tensor.ones(n), p, true, new Rng(7)).toArray();
    int kept = 0;
    double sum = 0;
    for (float v : y) {
      kept += v != 0f ? 1 : 0;
      sum += v;
    }
    // Binomial(n, 0.7): standard deviation √(n·0.21) ≈ 205, so 5σ ≈ 1025 elements.
    assertEquals(0.7 * n, kept, 1025);
    assertEquals(1.0, sum / n, 1025.0 / (0.7 * n));
  }

  @Test
  void sameSeedSameMask() {
    Tensor x = Tensor.ones(64);
    assertArrayEquals(
        Dropout.dropout(x, 0.5f, true, new Rng(3)).toArray(),
        Dropout.dropout(x, 0.5f, true, new Rng(3)).toArray(),
        0f);
  }

  @Test
  void probabilityOneDropsEverything() {
    float[] y = Dropout.dropout(Tensor.ones(10), 1f, true, new Rng(3)).toArray();
    assertArrayEquals(new float[10], y, 0f);
  }

  @Test
  void probabilityOutsideUnitIntervalIsRejected() {
    KronetException e =
        assertThrows(
            KronetException.class, () -> Dropout.dropout(Tensor.ones(2), 1.5f, true, new Rng(1)));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
  }
}
