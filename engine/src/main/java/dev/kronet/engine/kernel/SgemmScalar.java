package dev.kronet.engine.kernel;

/**
 * Cache-blocked scalar SGEMM: the twin of {@link SgemmVector} used when SIMD is off. Each K × N
 * block of op(B) is packed row-major (resolving transB), then every row of C is updated as {@code
 * C[i, :] += A[i, p] · B[p, :]}, a unit-stride loop that C2 vectorises on its own.
 *
 * <p>Determinism: every element of C is summed over p in ascending order whatever the blocking, and
 * threads own disjoint rows of C, so the result is the same for every thread count.
 */
final class SgemmScalar {
  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[][] {new float[0]});

  private SgemmScalar() {}

  static void sgemm(GemmArgs g, GemmBlocking blocking) {
    int m = g.m();
    int n = g.n();
    int k = g.k();
    if (m <= 0 || n <= 0) {
      return;
    }
    if (!g.accumulate()) {
      g.zeroC();
    }
    if (k <= 0) {
      return;
    }
    long flopsPerRow = 2L * n * k;
    int minChunk = (int) Math.min(m, Math.max(1, blocking.minFlopsPerTask() / flopsPerRow + 1));
    Parallel.forRange(m, minChunk, (from, to) -> rows(g, blocking, from, to));
  }

  /** Adds op(A)·op(B) into C rows [i0, i1). */
  private static void rows(GemmArgs g, GemmBlocking blocking, int i0, int i1) {
    int n = g.n();
    int k = g.k();
    int kBlocks = blocking.kBlocks(k);
    int kc = blocking.kc(k);
    int nc = Math.min(n, blocking.nc(kc, 1));
    float[][] holder = SCRATCH.get();
    if (holder[0].length < kc * nc) {
      holder[0] = new float[kc * nc];
    }
    float[] packed = holder[0];
    float[] c = g.c();
    for (int jc = 0; jc < n; jc += nc) {
      int ncur = Math.min(nc, n - jc);
      for (int kb = 0; kb < kBlocks; kb++) {
        int p0 = kb * kc;
        int kcur = Math.min(kc, k - p0);
        GemmPacking.packBRows(g, p0, kcur, jc, ncur, packed);
        for (int i = i0; i < i1; i++) {
          int ci = g.cOff() + i * g.ldc() + jc;
          for (int p = 0; p < kcur; p++) {
            float aip = g.opA(i, p0 + p);
            int bi = p * ncur;
            for (int j = 0; j < ncur; j++) {
              c[ci + j] += aip * packed[bi + j];
            }
          }
        }
      }
    }
  }
}
