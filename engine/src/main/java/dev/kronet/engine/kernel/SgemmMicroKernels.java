package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernels of {@link SgemmVector}: {@code C[mr×NR] (+)= A·B} for one
 * packed A micro-panel (mr × kc, element (r, p) at {@code ao + p·mr + r}) and one B panel (kc × NR,
 * element (p, j) at {@code bo + p·ldb + j}: packed, ldb = NR, or read in place from a row-major B);
 * C is written at {@code ci} with row stride {@code ldc}, added to when {@code add}.
 *
 * <p>12 rows × 2 vectors holds 24 accumulators, 2 B vectors and a broadcast A value: 27 of the 32
 * AVX-512 registers, about the most C2 keeps without spilling (the best tile in the feasibility
 * study of shared/notes/vector-api-sgemm.md; the 8-row variant is for small M). The kernels are
 * unrolled by hand because C2 does not keep an array of vectors in registers; they are long for
 * that reason only.
 */
final class SgemmMicroKernels {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
  private static final int L = S.length();

  /** Micro-tile width: two vectors. */
  static final int NR = 2 * L;

  private SgemmMicroKernels() {}

  /**
   * The 12×NR micro-kernel: C[12×NR] (+)= Apanel[12×kc] · Bpanel[kc×NR]. Stores are written out
   * rather than called: a store helper that C2 declined to inline (NodeCountInliningCutoff) made it
   * box the accumulators, and the kernel allocated gigabytes per second.
   */
  static void kernel12(
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
        c51 = z,
        c60 = z,
        c61 = z,
        c70 = z,
        c71 = z,
        c80 = z,
        c81 = z,
        c90 = z,
        c91 = z,
        c100 = z,
        c101 = z,
        c110 = z,
        c111 = z;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * ldb;
      int ai = ao + p * 12;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector av;
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
      av = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = FMA ? av.fma(b0, c60) : av.mul(b0).add(c60);
      c61 = FMA ? av.fma(b1, c61) : av.mul(b1).add(c61);
      av = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = FMA ? av.fma(b0, c70) : av.mul(b0).add(c70);
      c71 = FMA ? av.fma(b1, c71) : av.mul(b1).add(c71);
      av = FloatVector.broadcast(S, ap[ai + 8]);
      c80 = FMA ? av.fma(b0, c80) : av.mul(b0).add(c80);
      c81 = FMA ? av.fma(b1, c81) : av.mul(b1).add(c81);
      av = FloatVector.broadcast(S, ap[ai + 9]);
      c90 = FMA ? av.fma(b0, c90) : av.mul(b0).add(c90);
      c91 = FMA ? av.fma(b1, c91) : av.mul(b1).add(c91);
      av = FloatVector.broadcast(S, ap[ai + 10]);
      c100 = FMA ? av.fma(b0, c100) : av.mul(b0).add(c100);
      c101 = FMA ? av.fma(b1, c101) : av.mul(b1).add(c101);
      av = FloatVector.broadcast(S, ap[ai + 11]);
      c110 = FMA ? av.fma(b0, c110) : av.mul(b0).add(c110);
      c111 = FMA ? av.fma(b1, c111) : av.mul(b1).add(c111);
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
      c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
      c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
      c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
      c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
      c80 = c80.add(FloatVector.fromArray(S, c, ci + 8 * ldc));
      c81 = c81.add(FloatVector.fromArray(S, c, ci + 8 * ldc + L));
      c90 = c90.add(FloatVector.fromArray(S, c, ci + 9 * ldc));
      c91 = c91.add(FloatVector.fromArray(S, c, ci + 9 * ldc + L));
      c100 = c100.add(FloatVector.fromArray(S, c, ci + 10 * ldc));
      c101 = c101.add(FloatVector.fromArray(S, c, ci + 10 * ldc + L));
      c110 = c110.add(FloatVector.fromArray(S, c, ci + 11 * ldc));
      c111 = c111.add(FloatVector.fromArray(S, c, ci + 11 * ldc + L));
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
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + L);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + L);
    c80.intoArray(c, ci + 8 * ldc);
    c81.intoArray(c, ci + 8 * ldc + L);
    c90.intoArray(c, ci + 9 * ldc);
    c91.intoArray(c, ci + 9 * ldc + L);
    c100.intoArray(c, ci + 10 * ldc);
    c101.intoArray(c, ci + 10 * ldc + L);
    c110.intoArray(c, ci + 11 * ldc);
    c111.intoArray(c, ci + 11 * ldc + L);
  }

  /**
   * The 8×NR micro-kernel: C[8×NR] (+)= Apanel[8×kc] · Bpanel[kc×NR]; stores written out as in
   * {@link #kernel12}.
   */
  static void kernel8(
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
        c51 = z,
        c60 = z,
        c61 = z,
        c70 = z,
        c71 = z;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * ldb;
      int ai = ao + p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector av;
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
      av = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = FMA ? av.fma(b0, c60) : av.mul(b0).add(c60);
      c61 = FMA ? av.fma(b1, c61) : av.mul(b1).add(c61);
      av = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = FMA ? av.fma(b0, c70) : av.mul(b0).add(c70);
      c71 = FMA ? av.fma(b1, c71) : av.mul(b1).add(c71);
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
      c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
      c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
      c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
      c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
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
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + L);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + L);
  }
}
