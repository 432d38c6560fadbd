package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The masked-vector row copies against their element-by-element definitions, including that nothing
 * outside the written rows changes (the padding they copy around must stay zero).
 */
class PlaneCopySimdTest {
  /** Rows, columns, and the extra floats of the source and destination row strides. */
  private record Rows(int rows, int cols, int sExtra, int dExtra) {}

  @BeforeAll
  static void needsSimd() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  /** Columns 1–60 (whole vectors, a masked tail, both), 1–6 rows, strides up to 5 past a row. */
  private static Gen<Rows> rows() {
    Gen<Rows> g =
        (rng, size) ->
            new Rows(rng.nextInt(1, 6), rng.nextInt(1, 60), rng.nextInt(0, 5), rng.nextInt(0, 5));
    return g.withEdgeCases(
        List.of(
            new Rows(14, 14, 0, 1),
            new Rows(3, 16, 0, 0),
            new Rows(2, 33, 1, 2),
            new Rows(1, 1, 0, 0)));
  }

  @Test
  void copyRowsWritesExactlyTheRows() {
    Property.check(
        "copyRowsMatchesDefinition",
        40,
        rows(),
        r -> {
          int sStride = r.cols() + r.sExtra();
          int dStride = r.cols() + r.dExtra();
          float[] src = ramp(2 + r.rows() * sStride, 0.5f);
          float[] dst = new float[3 + r.rows() * dStride + 2];
          Arrays.fill(dst, -1f);
          float[] expected = dst.clone();
          for (int y = 0; y < r.rows(); y++) {
            for (int x = 0; x < r.cols(); x++) {
              expected[3 + y * dStride + x] = src[2 + y * sStride + x];
            }
          }
          PlaneCopySimd.copyRows(src, 2, sStride, dst, 3, dStride, r.rows(), r.cols());
          assertArrayEquals(expected, dst, 0f, r.toString());
        });
  }

  @Test
  void interleaveRowsAlternatesTheTwoPhases() {
    assumeTrue(PlaneCopySimd.AVAILABLE, "the interleave is written for 16 lanes");
    Property.check(
        "interleaveRowsMatchesDefinition",
        40,
        rows(),
        r -> {
          int pairs = (r.cols() + 1) / 2;
          int sStride = pairs + r.sExtra();
          int dStride = r.cols() + r.dExtra();
          float[] even = ramp(1 + r.rows() * sStride, 0.25f);
          float[] odd = ramp(4 + r.rows() * sStride, 1000.75f);
          float[] dst = new float[3 + r.rows() * dStride + 2];
          Arrays.fill(dst, -1f);
          float[] expected = dst.clone();
          for (int y = 0; y < r.rows(); y++) {
            for (int x = 0; x < r.cols(); x++) {
              float[] phase = x % 2 == 0 ? even : odd;
              int off = x % 2 == 0 ? 1 : 4;
              expected[3 + y * dStride + x] = phase[off + y * sStride + x / 2];
            }
          }
          PlaneCopySimd.interleaveRows(
              even, 1, odd, 4, sStride, dst, 3, dStride, r.rows(), r.cols());
          assertArrayEquals(expected, dst, 0f, r.toString());
        });
  }

  private static float[] ramp(int n, float start) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = start + i;
    }
    return a;
  }
}
