package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-register transposes against the element-by-element definition. */
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

  /** Whole matrices: 16 × 16 blocks and the row and column tails past them (1–40 each way). */
  @Test
  void transposesMatricesWithTails() {
    Gen<int[]> sizes = (rng, size) -> new int[] {rng.nextInt(1, 40), rng.nextInt(1, 40)};
    Property.check(
        "transposeMatrixMatchesDefinition",
        30,
        sizes.withEdgeCases(
            List.of(new int[] {16, 16}, new int[] {32, 49}, new int[] {49, 32}, new int[] {3, 5})),
        rc -> {
          int rows = rc[0];
          int cols = rc[1];
          float[] src = new float[3 + rows * (cols + 2)];
          for (int i = 0; i < src.length; i++) {
            src[i] = i + 0.25f;
          }
          float[] dst = new float[5 + cols * (rows + 1)];
          float[] expected = dst.clone();
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              expected[5 + c * (rows + 1) + r] = src[3 + r * (cols + 2) + c];
            }
          }
          Transpose16Simd.transposeMatrix(src, 3, cols + 2, dst, 5, rows + 1, rows, cols);
          for (int i = 0; i < dst.length; i++) {
            assertEquals(expected[i], dst[i], 0f, "dst[" + i + "] for " + rows + "×" + cols);
          }
        });
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
