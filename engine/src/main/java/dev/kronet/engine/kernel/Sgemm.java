package dev.kronet.engine.kernel;

/**
 * Single-precision matrix multiply on row-major buffers: {@code C = op(A)·op(B)} or {@code C +=
 * op(A)·op(B)}, where op(X) is X or Xᵀ. Dimensions: op(A) is m×k, op(B) is k×n, C is m×n; {@code
 * lda}, {@code ldb}, {@code ldc} are the row strides of A, B and C as stored.
 *
 * <p>This is the entry point every op uses. It dispatches to the packed, cache-blocked Vector API
 * kernel ({@code SgemmVector}) when {@link Simd#ENABLED}, else to its blocked scalar twin ({@code
 * SgemmScalar}); both spread rows or columns of C over {@link Parallel} and give bitwise identical
 * results for any thread count. {@link #reference}, the naive triple loop, is kept forever as the
 * tests' oracle.
 *
 * <p>Callers are trusted: dimensions, offsets and leading dimensions must describe ranges inside
 * the arrays ({@code lda ≥} op(A)'s stored row length, and so on), and C must not overlap A or B.
 */
public final class Sgemm {
  private Sgemm() {}

  public static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    GemmArgs g =
        new GemmArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    if (Simd.ENABLED) {
      SgemmVector.sgemm(g, GemmBlocking.DEFAULT);
    } else {
      SgemmScalar.sgemm(g, GemmBlocking.DEFAULT);
    }
  }

  /** The naive triple loop (double accumulation), kept forever as the reference. */
  public static void reference(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          sum += (double) av * bv;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = accumulate ? c[ci] + (float) sum : (float) sum;
      }
    }
  }
}
