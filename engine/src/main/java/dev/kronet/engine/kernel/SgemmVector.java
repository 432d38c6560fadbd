package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, register-blocked, cache-blocked SGEMM on the Vector API (Goto/BLIS scheme). Only loaded
 * when {@link Simd#ENABLED}; {@link SgemmScalar} is its twin and {@link Sgemm#reference} its
 * oracle.
 *
 * <p>Loop nest, per thread, over its own rows or columns of C:
 *
 * <pre>
 *   for jc (nc columns)            B block kc×nc packed into NR-wide panels, ~1 MB: lives in L2
 *     for pc (kc of K, even split)
 *       for ir (MR rows)           A micro-panel MR×kc packed: lives in L1
 *         for jr (NR columns)      micro-kernel: MR×NR accumulators in registers
 * </pre>
 *
 * The micro-tile is 12 rows × 2 vectors (24 accumulators: the most C2 keeps in the 32 AVX-512
 * registers without spilling), or 8 × 2 vectors when M is small enough that 12-row tiles would
 * waste over 10% on padding (conv layers with 16, 32 or 64 output channels). Edge tiles are
 * computed in full on zero-padded panels into a scratch tile and only their valid part is merged.
 *
 * <p>Determinism: each element of C is one fused multiply-add chain per K block, the K blocks added
 * into C in order; the K split depends only on k. Threads own disjoint rows (or columns) of C, so
 * the result is bitwise the same for every thread count.
 */
final class SgemmVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Micro-tile width: two vectors. */
  static final int NR = 2 * L;

  /**
   * Start of the packed data inside a scratch array: the float array header is 16 bytes and objects
   * are 64-byte aligned ({@code -XX:ObjectAlignmentInBytes=64}), so 12 floats in puts the data on a
   * cache-line boundary (measured +6–10%). Only speed depends on this assumption.
   */
  private static final int PAD = 12;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SgemmVector() {}

  /** Per-thread packing buffers, grown on demand and reused, so calls do not allocate them. */
  private static final class Scratch {
    float[] packedB = new float[0];
    float[] packedA = new float[0];
    final float[] tile = new float[12 * NR];

    float[] packedB(int size) {
      if (packedB.length < size + PAD) {
        packedB = new float[size + PAD];
      }
      return packedB;
    }

    float[] packedA(int size) {
      if (packedA.length < size + PAD) {
        packedA = new float[size + PAD];
      }
      return packedA;
    }
  }

  static void sgemm(GemmArgs g, GemmBlocking blocking) {
    int m = g.m();
    int n = g.n();
    int k = g.k();
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k <= 0) {
      if (!g.accumulate()) {
        g.zeroC();
      }
      return;
    }
    int mr = microRows(m);
    // Wide conv-shaped products (16×144×100352) have too few rows to share; split columns there.
    boolean splitN = n > m;
    int units = splitN ? GemmBlocking.ceilDiv(n, NR) : GemmBlocking.ceilDiv(m, mr);
    long flopsPerUnit = 2L * k * (splitN ? (long) NR * m : (long) mr * n);
    int minChunk =
        (int) Math.min(units, Math.max(1, blocking.minFlopsPerTask() / flopsPerUnit + 1));
    Parallel.forRange(
        units,
        minChunk,
        (from, to) -> {
          if (splitN) {
            blocked(g, blocking, mr, 0, m, from * NR, Math.min(n, to * NR));
          } else {
            blocked(g, blocking, mr, from * mr, Math.min(m, to * mr), 0, n);
          }
        });
  }

  /** 12-row tiles unless 8-row tiles pad M at least 10% less (measured best for M ≤ 64). */
  static int microRows(int m) {
    int padded12 = GemmBlocking.ceilDiv(m, 12) * 12;
    int padded8 = GemmBlocking.ceilDiv(m, 8) * 8;
    return padded8 * 11 < padded12 * 10 ? 8 : 12;
  }

  /** C rows [i0, i1) × columns [j0, j1), on the calling thread. */
  private static void blocked(
      GemmArgs g, GemmBlocking blocking, int mr, int i0, int i1, int j0, int j1) {
    int k = g.k();
    int kBlocks = blocking.kBlocks(k);
    int kc = blocking.kc(k);
    int nc = blocking.nc(kc, NR);
    Scratch s = SCRATCH.get();
    float[] bBuf = s.packedB(kc * GemmBlocking.ceilDiv(Math.min(nc, j1 - j0), NR) * NR);
    float[] aBuf = s.packedA(mr * kc);
    float[] tile = s.tile;
    float[] c = g.c();
    int ldc = g.ldc();
    for (int jc = j0; jc < j1; jc += nc) {
      int ncur = Math.min(nc, j1 - jc);
      for (int kb = 0; kb < kBlocks; kb++) {
        int p0 = kb * kc;
        int kcur = Math.min(kc, k - p0);
        GemmPacking.packB(g, p0, kcur, jc, ncur, NR, bBuf, PAD);
        boolean add = g.accumulate() || kb > 0;
        for (int ir = i0; ir < i1; ir += mr) {
          int rows = Math.min(mr, i1 - ir);
          GemmPacking.packA(g, ir, rows, p0, kcur, mr, aBuf, PAD);
          for (int jr = 0; jr < ncur; jr += NR) {
            int cols = Math.min(NR, ncur - jr);
            int bo = PAD + (jr / NR) * kcur * NR;
            int ci = g.cOff() + ir * ldc + jc + jr;
            if (rows == mr && cols == NR) {
              kernel(mr, kcur, aBuf, bBuf, bo, c, ci, ldc, add);
            } else {
              kernel(mr, kcur, aBuf, bBuf, bo, tile, 0, NR, false);
              mergeTile(tile, rows, cols, c, ci, ldc, add);
            }
          }
        }
      }
    }
  }

  private static void kernel(
      int mr, int kc, float[] ap, float[] bp, int bo, float[] c, int ci, int ldc, boolean add) {
    if (mr == 12) {
      kernel12(kc, ap, PAD, bp, bo, c, ci, ldc, add);
    } else {
      kernel8(kc, ap, PAD, bp, bo, c, ci, ldc, add);
    }
  }

  /** Writes the valid {@code rows × cols} corner of an edge tile into C. */
  private static void mergeTile(
      float[] tile, int rows, int cols, float[] c, int ci, int ldc, boolean add) {
    for (int r = 0; r < rows; r++) {
      int t = r * NR;
      int o = ci + r * ldc;
      for (int j = 0; j < cols; j++) {
        c[o + j] = add ? c[o + j] + tile[t + j] : tile[t + j];
      }
    }
  }

  /**
   * The 12×NR micro-kernel: C[12×NR] (+)= Apanel[12×kc] · Bpanel[kc×NR]. Stores are written out
   * rather than called: a call that C2 declines to inline (NodeCountInliningCutoff) makes it box
   * the accumulators inside the loop, which measured 300× slower.
   */
  private static void kernel12(
      int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int ci, int ldc, boolean add) {
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
      int bi = bo + p * NR;
      int ai = ao + p * 12;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector av;
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = av.fma(b0, c60);
      c61 = av.fma(b1, c61);
      av = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = av.fma(b0, c70);
      c71 = av.fma(b1, c71);
      av = FloatVector.broadcast(S, ap[ai + 8]);
      c80 = av.fma(b0, c80);
      c81 = av.fma(b1, c81);
      av = FloatVector.broadcast(S, ap[ai + 9]);
      c90 = av.fma(b0, c90);
      c91 = av.fma(b1, c91);
      av = FloatVector.broadcast(S, ap[ai + 10]);
      c100 = av.fma(b0, c100);
      c101 = av.fma(b1, c101);
      av = FloatVector.broadcast(S, ap[ai + 11]);
      c110 = av.fma(b0, c110);
      c111 = av.fma(b1, c111);
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
   * The 8×NR micro-kernel: C[8×NR] (+)= Apanel[8×kc] · Bpanel[kc×NR]. Stores are written out rather
   * than called: a call that C2 declines to inline (NodeCountInliningCutoff) makes it box the
   * accumulators inside the loop, which measured 300× slower.
   */
  private static void kernel8(
      int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int ci, int ldc, boolean add) {
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
      int bi = bo + p * NR;
      int ai = ao + p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector av;
      av = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = av.fma(b0, c60);
      c61 = av.fma(b1, c61);
      av = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = av.fma(b0, c70);
      c71 = av.fma(b1, c71);
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
