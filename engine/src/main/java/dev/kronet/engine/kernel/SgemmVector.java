package dev.kronet.engine.kernel;

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
 * The micro-tiles are sized for the vector register file ({@link Capabilities#vectorRegisters()}):
 * with 32 registers {@link SgemmMicroKernels}' 12 rows × 2 vectors, or 8 × 2 when M is small enough
 * that 12-row tiles would waste over 10% on padding (conv layers with 16, 32 or 64 output
 * channels); with 16 registers {@link SgemmMicroKernels16}' 6 × 2, or 4 × 2 by the same rule. Edge
 * tiles are computed in full on zero-padded panels into a scratch tile and only their valid part is
 * merged.
 *
 * <p>Determinism: each element of C is one fused multiply-add chain per K block, the K blocks added
 * into C in order; the K split depends only on k. Threads own disjoint rows (or columns) of C, so
 * the result is bitwise the same for every thread count.
 */
final class SgemmVector {
  private static final int NR = SgemmMicroKernels.NR;

  /**
   * Start of the packed data inside a scratch array: the float array header is 16 bytes and objects
   * are 64-byte aligned ({@code -XX:ObjectAlignmentInBytes=64}), so 12 floats in puts the data on a
   * cache-line boundary (+6–10% in the feasibility study). Only speed depends on this assumption.
   */
  private static final int PAD = 12;

  /**
   * Up to this many rows of C, an untransposed B is read in place instead of packed (its panels
   * then serve at most two 8-row blocks) — if it is small enough to come from cache ({@link
   * GemmBlocking#inPlaceMaxBFloats}). A B streamed from memory is packed even for a single use: the
   * in-place kernel reads 128 bytes from each of its K rows in turn, more strided streams than the
   * prefetcher follows, while packing reads each row front to back (one thread, GFLOP/s in place →
   * packed: 16×144×6272 143 → 93 and 16×144×12544 112 → 93, but 16×144×50176 52 → 77 and
   * 16×144×100352 50 → 72).
   */
  static final int IN_PLACE_MAX_ROWS = 16;

  private static final int REGISTERS = Capabilities.current().vectorRegisters();

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
    sgemm(g, blocking, REGISTERS);
  }

  /** {@link #sgemm(GemmArgs, GemmBlocking)} with the tiles for {@code registers} (16 or 32). */
  static void sgemm(GemmArgs g, GemmBlocking blocking, int registers) {
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
    int mr = microRows(m, registers);
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

  /**
   * The tile height for {@code m} rows on a file of {@code registers} vector registers: the large
   * tile (12 rows with 32 registers, 6 with 16) unless the small one (8, 4) pads M at least 10%
   * less (5–10% faster at M = 64 with 32 registers).
   */
  static int microRows(int m, int registers) {
    int large = registers >= 32 ? 12 : 6;
    int small = registers >= 32 ? 8 : 4;
    int paddedLarge = GemmBlocking.ceilDiv(m, large) * large;
    int paddedSmall = GemmBlocking.ceilDiv(m, small) * small;
    return paddedSmall * 11 < paddedLarge * 10 ? small : large;
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
    boolean readInPlace =
        !g.transB()
            && i1 - i0 <= IN_PLACE_MAX_ROWS
            && (long) k * g.n() <= blocking.inPlaceMaxBFloats();
    for (int jc = j0; jc < j1; jc += nc) {
      int ncur = Math.min(nc, j1 - jc);
      for (int kb = 0; kb < kBlocks; kb++) {
        int p0 = kb * kc;
        int kcur = Math.min(kc, k - p0);
        // Whole NR-wide panels of an untransposed B are read in place when few row blocks
        // share them: packing would copy every element of B to use it once or twice.
        int inPlace = readInPlace ? ncur / NR * NR : 0;
        if (inPlace < ncur) {
          GemmPackingSimd.packB(g, p0, kcur, jc + inPlace, ncur - inPlace, bBuf, PAD);
        }
        boolean add = g.accumulate() || kb > 0;
        for (int ir = i0; ir < i1; ir += mr) {
          int rows = Math.min(mr, i1 - ir);
          GemmPacking.packA(g, ir, rows, p0, kcur, mr, aBuf, PAD);
          for (int jr = 0; jr < ncur; jr += NR) {
            int cols = Math.min(NR, ncur - jr);
            float[] b = bBuf;
            int bo = PAD + ((jr - inPlace) / NR) * kcur * NR;
            int ldb = NR;
            if (jr < inPlace) {
              b = g.b();
              bo = g.bOff() + p0 * g.ldb() + jc + jr;
              ldb = g.ldb();
            }
            int ci = g.cOff() + ir * ldc + jc + jr;
            if (rows == mr && cols == NR) {
              kernel(mr, kcur, aBuf, b, bo, ldb, c, ci, ldc, add);
            } else {
              kernel(mr, kcur, aBuf, b, bo, ldb, tile, 0, NR, false);
              mergeTile(tile, rows, cols, c, ci, ldc, add);
            }
          }
        }
      }
    }
  }

  private static void kernel(
      int mr,
      int kc,
      float[] ap,
      float[] bp,
      int bo,
      int ldb,
      float[] c,
      int ci,
      int ldc,
      boolean add) {
    switch (mr) {
      case 12 -> SgemmMicroKernels.kernel12(kc, ap, PAD, bp, bo, ldb, c, ci, ldc, add);
      case 8 -> SgemmMicroKernels.kernel8(kc, ap, PAD, bp, bo, ldb, c, ci, ldc, add);
      case 6 -> SgemmMicroKernels16.kernel6(kc, ap, PAD, bp, bo, ldb, c, ci, ldc, add);
      default -> SgemmMicroKernels16.kernel4(kc, ap, PAD, bp, bo, ldb, c, ci, ldc, add);
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
}
