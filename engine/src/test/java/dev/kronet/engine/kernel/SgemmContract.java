package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks every SGEMM implementation must pass (contract test, as EJML's {@code
 * StandardSvdChecks}): equal to {@link Sgemm#reference} within a bound scaled by K, untouched
 * memory outside C's block, all four transpose pairs, accumulate, offsets and leading dimensions.
 * Subclasses say which implementation, blocking and thread count run.
 */
abstract class SgemmContract {
  private static final double UNIT_ROUNDOFF = 0x1.0p-24;

  private Parallel.Scope threadScope;

  /** Runs the implementation under test. */
  abstract void gemm(GemmArgs g);

  /** Thread count the implementation runs with. */
  int threads() {
    return 1;
  }

  @BeforeEach
  void openThreadScope() {
    threadScope = Parallel.withThreads(threads());
  }

  @AfterEach
  void closeThreadScope() {
    threadScope.close();
  }

  @Test
  void matchesTheReferenceOnRandomProblems() {
    Property.check("sgemmMatchesReference", 60, GemmCase.gen(70, 300), this::assertMatches);
  }

  @Test
  void matchesTheReferenceWhenKSpansSeveralBlocks() {
    Property.check(
        "sgemmMatchesReferenceLongK", 8, GemmCase.gen(20, 257, 1200), this::assertMatches);
  }

  @Test
  void zeroKOverwritesWithZerosOrLeavesC() {
    for (boolean accumulate : new boolean[] {false, true}) {
      GemmCase gc = new GemmCase(false, true, 5, 7, 0, accumulate, 1, 1, 1, 1, 2, 3, 9);
      float[] c = gc.c();
      float[] expected = c.clone();
      Sgemm.reference(
          false,
          true,
          5,
          7,
          0,
          gc.a(),
          1,
          gc.lda(),
          gc.b(),
          1,
          gc.ldb(),
          expected,
          2,
          gc.ldc(),
          accumulate);
      gemm(gc.args(gc.a(), gc.b(), c));
      assertArrayEquals(expected, c, 0f, "k = 0, accumulate = " + accumulate);
    }
  }

  @Test
  void emptyMOrNLeavesCUntouched() {
    for (int[] mn : new int[][] {{0, 5}, {5, 0}}) {
      GemmCase gc = new GemmCase(true, false, mn[0], mn[1], 4, false, 0, 0, 0, 0, 0, 2, 3);
      float[] c = gc.c();
      float[] before = c.clone();
      gemm(gc.args(gc.a(), gc.b(), c));
      assertArrayEquals(before, c, 0f);
    }
  }

  @Test
  void multipliesASmallKnownProduct() {
    // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50], exactly representable.
    float[] a = {1, 2, 3, 4};
    float[] b = {5, 6, 7, 8};
    float[] c = new float[4];
    gemm(new GemmArgs(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false));
    assertArrayEquals(new float[] {19, 22, 43, 50}, c, 0f);
    gemm(new GemmArgs(true, true, 2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, true));
    // Aᵀ·Bᵀ = [1 3; 2 4]·[5 7; 6 8] = [23 31; 34 46], added to the previous C.
    assertArrayEquals(new float[] {42, 53, 77, 96}, c, 0f);
  }

  /**
   * Compares with the double-accumulated reference. Tolerance per element: a float sum of k
   * products plus the accumulate addition, in any order and with or without FMA, is within γ(k+1)·
   * Σ|terms| ≈ (k+1)·u·Σ|terms| of the exact value (Higham, Accuracy and Stability, §3.1); the
   * reference adds one more rounding when it converts to float, so (k+3)·u·Σ|terms| bounds the
   * difference. An indexing or packing bug moves a value by about one whole term, far above this.
   * Outside C's m×n block the arrays must be bitwise equal.
   */
  void assertMatches(GemmCase gc) {
    float[] a = gc.a();
    float[] b = gc.b();
    float[] expected = gc.c();
    float[] got = expected.clone();
    float[] cOld = expected.clone();
    Sgemm.reference(
        gc.transA(),
        gc.transB(),
        gc.m(),
        gc.n(),
        gc.k(),
        a,
        gc.aOff(),
        gc.lda(),
        b,
        gc.bOff(),
        gc.ldb(),
        expected,
        gc.cOff(),
        gc.ldc(),
        gc.accumulate());
    gemm(gc.args(a, b, got));
    double[] tol = new double[expected.length];
    GemmArgs abs = gc.args(abs(a), abs(b), new float[expected.length]);
    Sgemm.reference(
        gc.transA(),
        gc.transB(),
        gc.m(),
        gc.n(),
        gc.k(),
        abs.a(),
        gc.aOff(),
        gc.lda(),
        abs.b(),
        gc.bOff(),
        gc.ldb(),
        abs.c(),
        gc.cOff(),
        gc.ldc(),
        false);
    for (int i = 0; i < gc.m(); i++) {
      for (int j = 0; j < gc.n(); j++) {
        int ci = gc.cOff() + i * gc.ldc() + j;
        double terms = abs.c()[ci] + (gc.accumulate() ? Math.abs(cOld[ci]) : 0);
        tol[ci] = (gc.k() + 3) * UNIT_ROUNDOFF * terms + Float.MIN_NORMAL;
      }
    }
    assertEquals(expected.length, got.length);
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) expected[i] - got[i]);
      int at = i;
      assertTrue(
          diff <= tol[i],
          () ->
              "C[" + at + "]: expected " + expected[at] + ", got " + got[at] + ", tol " + tol[at]);
    }
  }

  private static float[] abs(float[] v) {
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.abs(v[i]);
    }
    return r;
  }
}
