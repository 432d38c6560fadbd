package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * The operands of one {@link Sgemm#sgemm} call, gathered so that the blocked implementations pass
 * one value around instead of fifteen. op(A) is m×k, op(B) is k×n, C is m×n, all row-major with row
 * strides {@code lda}, {@code ldb}, {@code ldc} as stored.
 */
record GemmArgs(
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

  /** Element (i, p) of op(A). */
  float opA(int i, int p) {
    return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
  }

  /** Sets C's m×n block to zero (what {@code C = op(A)·op(B)} means when k is 0). */
  void zeroC() {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      Arrays.fill(c, row, row + n, 0f);
    }
  }
}
