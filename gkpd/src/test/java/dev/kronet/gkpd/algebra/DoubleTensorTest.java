package dev.kronet.gkpd.algebra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import org.junit.jupiter.api.Test;

class DoubleTensorTest {
  @Test
  void valuesAreCopiedInAndOut() {
    double[] src = {1, 2, 3, 4, 5, 6};
    DoubleTensor t = DoubleTensor.of(src, 2, 3);
    src[0] = 99;
    t.data()[1] = 99;
    assertEquals(1, t.get(0, 0));
    assertEquals(2, t.get(0, 1));
    assertEquals(6, t.get(1, 2));
    assertEquals(Math.sqrt(91), t.frobeniusNorm(), 1e-15);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
    assertEquals(t, DoubleTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
  }

  @Test
  void badShapesAndIndicesAreRejected() {
    var e = assertThrows(KronetException.class, () -> DoubleTensor.of(new double[5], 2, 3));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5"), e.getMessage());
    DoubleTensor t = DoubleTensor.zeros(2, 3);
    assertThrows(KronetException.class, () -> t.get(2, 0));
    assertThrows(KronetException.class, () -> t.get(0));
    assertThrows(KronetException.class, () -> t.plus(DoubleTensor.zeros(3, 2)));
  }
}
