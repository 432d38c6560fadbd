package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-register 16 × 16 transpose against the element-by-element definition. */
class Transpose16SimdTest {
  /** Source and destination offsets and strides (strides ≥ 16, rows of the block). */
  private record Layout(int sOff, int sStride, int dOff, int dStride) {}

  @BeforeAll
  static void needsSixteenLanes() {
    assumeTrue(Simd.ENABLED && Transpose16Simd.AVAILABLE, "no 16-lane float vectors here");
  }

  @Test
  void transposesABlockBetweenAnyStrides() {
    Gen<Layout> layouts =
        (rng, size) ->
            new Layout(
                rng.nextInt(0, 40), rng.nextInt(16, 100), rng.nextInt(0, 40), rng.nextInt(16, 100));
    Property.check(
        "transpose16MatchesDefinition",
        30,
        layouts.withEdgeCases(List.of(new Layout(0, 16, 0, 16), new Layout(3, 17, 5, 32))),
        this::assertTransposes);
  }

  private void assertTransposes(Layout l) {
    float[] src = new float[l.sOff() + 15 * l.sStride() + 16];
    for (int i = 0; i < src.length; i++) {
      src[i] = i + 0.5f;
    }
    float[] dst = new float[l.dOff() + 15 * l.dStride() + 16 + 7];
    float[] expected = dst.clone();
    for (int r = 0; r < 16; r++) {
      for (int c = 0; c < 16; c++) {
        expected[l.dOff() + c * l.dStride() + r] = src[l.sOff() + r * l.sStride() + c];
      }
    }
    Transpose16Simd.transpose(src, l.sOff(), l.sStride(), dst, l.dOff(), l.dStride());
    for (int i = 0; i < dst.length; i++) {
      assertEquals(expected[i], dst[i], 0f, "dst[" + i + "] for " + l);
    }
  }
}
