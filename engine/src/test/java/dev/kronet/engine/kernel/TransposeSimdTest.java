package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-register transposes against the element-by-element definition, at the lane count of the
 * run (the engine's test executions force 4, 8 and 16).
 */
class TransposeSimdTest {
  /** Source and destination offsets and strides (strides ≥ the block, rows of the block). */
  private record Layout(int sOff, int sStride, int dOff, int dStride) {}

  /** The block side; read after the check, as TransposeSimd loads the Vector API. */
  private static int B;

  @BeforeAll
  static void needsVectors() {
    assumeTrue(Simd.ENABLED, "the scalar run has no in-register transpose");
    B = TransposeSimd.BLOCK;
    assertTrue(B == 4 || B == 8 || B == 16, "every forced lane count has a block, got " + B);
  }

  @Test
  void transposesABlockBetweenAnyStrides() {
    Gen<Layout> layouts =
        (rng, size) ->
            new Layout(
                rng.nextInt(0, 40), rng.nextInt(B, 100), rng.nextInt(0, 40), rng.nextInt(B, 100));
    Property.check(
        "transposeBlockMatchesDefinition",
        30,
        layouts.withEdgeCases(List.of(new Layout(0, B, 0, B), new Layout(3, B + 1, 5, 2 * B))),
        this::assertTransposes);
  }

  /** Whole matrices: blocks and the row and column tails past them (1–40 each way). */
  @Test
  void transposesMatricesWithTails() {
    Gen<int[]> sizes = (rng, size) -> new int[] {rng.nextInt(1, 40), rng.nextInt(1, 40)};
    Property.check(
        "transposeMatrixMatchesDefinition",
        30,
        sizes.withEdgeCases(
            List.of(
                new int[] {B, B},
                new int[] {2 * B, 3 * B + 1},
                new int[] {3 * B + 1, 2 * B},
                new int[] {3, 5})),
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
          TransposeSimd.transposeMatrix(src, 3, cols + 2, dst, 5, rows + 1, rows, cols);
          for (int i = 0; i < dst.length; i++) {
            assertEquals(expected[i], dst[i], 0f, "dst[" + i + "] for " + rows + "×" + cols);
          }
        });
  }

  private void assertTransposes(Layout l) {
    float[] src = new float[l.sOff() + (B - 1) * l.sStride() + B];
    for (int i = 0; i < src.length; i++) {
      src[i] = i + 0.5f;
    }
    float[] dst = new float[l.dOff() + (B - 1) * l.dStride() + B + 7];
    float[] expected = dst.clone();
    for (int r = 0; r < B; r++) {
      for (int c = 0; c < B; c++) {
        expected[l.dOff() + c * l.dStride() + r] = src[l.sOff() + r * l.sStride() + c];
      }
    }
    TransposeSimd.transposeBlock(src, l.sOff(), l.sStride(), dst, l.dOff(), l.dStride());
    for (int i = 0; i < dst.length; i++) {
      assertEquals(expected[i], dst[i], 0f, "dst[" + i + "] for " + l);
    }
  }
}
