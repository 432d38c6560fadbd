package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class ComparisonsTest {
  @Test
  void comparisonsMatchIndexMathsUnderBroadcasting() {
    Property.check(
        "comparisonsMatchIndexMaths",
        40,
        OpsTesting.broadcastPairs(3, 5),
        pair -> {
          Rng rng = OpsTesting.rngFor(pair);
          // Small integers, so equality is common.
          Tensor a = small(rng, pair[0]).requiresGrad(true);
          Tensor b = small(rng, pair[1]);
          int[] shape = Shapes.broadcast(pair[0], pair[1]);
          float[] eq = Comparisons.eq(a, b).toArray();
          float[] gt = Comparisons.gt(a, b).toArray();
          float[] lt = Comparisons.lt(a, b).toArray();
          assertFalse(Comparisons.eq(a, b).requiresGrad(), "comparisons record nothing");
          for (int i = 0; i < eq.length; i++) {
            int[] index = OpsTesting.unravel(i, shape);
            float x = OpsTesting.broadcastValue(a, index);
            float y = OpsTesting.broadcastValue(b, index);
            assertEquals(x == y ? 1f : 0f, eq[i]);
            assertEquals(x > y ? 1f : 0f, gt[i]);
            assertEquals(x < y ? 1f : 0f, lt[i]);
          }
        });
  }

  private static Tensor small(Rng rng, int[] shape) {
    float[] v = new float[Shapes.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextInt(3);
    }
    return Tensor.wrap(v, shape);
  }

  @Test
  void scalarComparisons() {
    Tensor x = Tensor.vector(1, 2, 3);
    assertArrayEquals(new float[] {0, 1, 0}, Comparisons.eq(x, 2f).toArray());
    assertArrayEquals(new float[] {0, 0, 1}, Comparisons.gt(x, 2f).toArray());
    assertArrayEquals(new float[] {1, 0, 0}, Comparisons.lt(x, 2f).toArray());
  }

  @Test
  void countCorrectTop1CountsRowsWhoseFirstMaximumIsTheLabel() {
    Tensor logits =
        Tensor.of(
            new float[] {
              0.1f, 0.9f, 0.0f, // predicts 1
              2.0f, 2.0f, 1.0f, // tie: first maximum, 0
              -1f, -3f, -0.5f, // predicts 2
              5f, 1f, 1f // predicts 0
            },
            4,
            3);
    assertEquals(3, Comparisons.countCorrectTop1(logits, new int[] {1, 0, 2, 1}));
    assertEquals(0, Comparisons.countCorrectTop1(logits, new int[] {0, 1, 0, 2}));
    // A transposed view of the transposed logits gives the same count.
    Tensor viaView = Tensor.of(logits.transpose(0, 1).toArray(), 3, 4).transpose(0, 1);
    assertEquals(3, Comparisons.countCorrectTop1(viaView, new int[] {1, 0, 2, 1}));
    KronetException e =
        assertThrows(
            KronetException.class, () -> Comparisons.countCorrectTop1(logits, new int[] {1, 0}));
    assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () -> Comparisons.countCorrectTop1(logits, new int[] {1, 0, 3, 0}));
    assertTrue(e.getMessage().contains("label 3"), e.getMessage());
  }
}
