package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SgemmMicroKernels}' tiles for a 16-register vector file (x86 without AVX-512, also AVX-512
 * CPUs under {@code -XX:UseAVX=2}): the same contract and panel layouts, fewer rows. 6 rows × 2
 * vectors holds 12 accumulators, 2 B vectors and a broadcast A value: 15 of 16 registers (the BLIS
 * Haswell tile, 6 × 16 at 8 lanes); the 12 × 2 tile's 24 accumulators spilled on such a file and
 * ran at 36 % of the FMA peak (shared/notes/vector-api-sgemm.md). The 4-row variant is for small M
 * (16 or 32 rows, where 6-row tiles pad by an eighth) and keeps 8 independent FMA chains, enough to
 * cover the FMA latency of two pipes. Unrolled by hand for the reasons given there.
 */
final class SgemmMicroKernels16 {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  private SgemmMicroKernels16() {}

  /**
   * The 6×NR micro-kernel: C[6×NR] (+)= Apanel[6×kc] · Bpanel[kc×NR], NR = {@link
   * SgemmMicroKernels#NR}; stores written out as in {@link SgemmMicroKernels#kernel12}.
   */
  static void kernel6(
      int kc,
      float[] ap,
      int ao,
      float[] bp,
      int bo,
      int ldb,
      float[] c,
      int ci,
      int ldc,
      boolean add) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z,
        c01 = z,
        c10 = z,
        c11 = z,
        c20 = z,
        c21 = z,
        c30 = z,
        c31 = z,
        c40 = z,
        c41 = z,
        c50 = z,
        c51 = z;
    int bi;
    int ai;
    FloatVector b0;
    FloatVector b1;
    FloatVector av;
    // two k steps an iteration: the loop and its index checks cost as much as half the FMAs
    int p = 0;
    for (; p + 1 < kc; p += 2) {
      bi = bo + (p) * ldb;
      ai = ao + (p) * 6;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = FMA ? av.fma(b0, c40) : av.mul(b0).add(c40);
      c41 = FMA ? av.fma(b1, c41) : av.mul(b1).add(c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = FMA ? av.fma(b0, c50) : av.mul(b0).add(c50);
      c51 = FMA ? av.fma(b1, c51) : av.mul(b1).add(c51);
      bi = bo + (p + 1) * ldb;
      ai = ao + (p + 1) * 6;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = FMA ? av.fma(b0, c40) : av.mul(b0).add(c40);
      c41 = FMA ? av.fma(b1, c41) : av.mul(b1).add(c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = FMA ? av.fma(b0, c50) : av.mul(b0).add(c50);
      c51 = FMA ? av.fma(b1, c51) : av.mul(b1).add(c51);
    }
    if (p < kc) {
      bi = bo + (p) * ldb;
      ai = ao + (p) * 6;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = FMA ? av.fma(b0, c40) : av.mul(b0).add(c40);
      c41 = FMA ? av.fma(b1, c41) : av.mul(b1).add(c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = FMA ? av.fma(b0, c50) : av.mul(b0).add(c50);
      c51 = FMA ? av.fma(b1, c51) : av.mul(b1).add(c51);
    }
    if (add) {
      c00 = c00.add(FloatVector.fromArray(S, c, ci));
      c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
      c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
      c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
      c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
      c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
      c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
      c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
      c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
      c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + L);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + L);
  }

  /**
   * The 4×NR micro-kernel: C[4×NR] (+)= Apanel[4×kc] · Bpanel[kc×NR]; stores written out as in
   * {@link SgemmMicroKernels#kernel12}.
   */
  static void kernel4(
      int kc,
      float[] ap,
      int ao,
      float[] bp,
      int bo,
      int ldb,
      float[] c,
      int ci,
      int ldc,
      boolean add) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    int bi;
    int ai;
    FloatVector b0;
    FloatVector b1;
    FloatVector av;
    // two k steps an iteration: the loop and its index checks cost as much as half the FMAs
    int p = 0;
    for (; p + 1 < kc; p += 2) {
      bi = bo + (p) * ldb;
      ai = ao + (p) * 4;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
      bi = bo + (p + 1) * ldb;
      ai = ao + (p + 1) * 4;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
    }
    if (p < kc) {
      bi = bo + (p) * ldb;
      ai = ao + (p) * 4;
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = FMA ? av.fma(b0, c00) : av.mul(b0).add(c00);
      c01 = FMA ? av.fma(b1, c01) : av.mul(b1).add(c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : av.mul(b0).add(c10);
      c11 = FMA ? av.fma(b1, c11) : av.mul(b1).add(c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : av.mul(b0).add(c20);
      c21 = FMA ? av.fma(b1, c21) : av.mul(b1).add(c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : av.mul(b0).add(c30);
      c31 = FMA ? av.fma(b1, c31) : av.mul(b1).add(c31);
    }
    if (add) {
      c00 = c00.add(FloatVector.fromArray(S, c, ci));
      c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
      c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
      c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
      c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
      c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
  }
}
