package dev.kronet.engine.kernel;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated SGEMM problem: dimensions, transposes, accumulate, and the padding that gives A, B
 * and C non-trivial offsets and leading dimensions. Values are drawn from {@code seed}.
 */
record GemmCase(
    boolean transA,
    boolean transB,
    int m,
    int n,
    int k,
    boolean accumulate,
    int aOff,
    int aPad,
    int bOff,
    int bPad,
    int cOff,
    int cPad,
    long seed) {

  int lda() {
    return (transA ? m : k) + aPad;
  }

  int ldb() {
    return (transB ? k : n) + bPad;
  }

  int ldc() {
    return n + cPad;
  }

  float[] a() {
    return fill(new Rng(seed), aOff + (transA ? k : m) * lda() + 3);
  }

  float[] b() {
    return fill(new Rng(seed + 1), bOff + (transB ? n : k) * ldb() + 3);
  }

  float[] c() {
    return fill(new Rng(seed + 2), cOff + m * ldc() + 3);
  }

  GemmArgs args(float[] a, float[] b, float[] c) {
    return new GemmArgs(
        transA, transB, m, n, k, a, aOff, lda(), b, bOff, ldb(), c, cOff, ldc(), accumulate);
  }

  private static float[] fill(Rng rng, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = rng.nextFloat() * 2 - 1;
    }
    return v;
  }

  /**
   * Cases with m, n ≤ maxMn and k ≤ maxK (at full size; smaller while shrinking). Edge cases: size
   * 1, the SIMD lane width ± 1, the micro tile heights 8 and 12 ± 1, both micro-tile widths ± 1, k
   * past one 256 K block, every transpose pair with and without accumulate.
   */
  static Gen<GemmCase> gen(int maxMn, int maxK) {
    return gen(maxMn, 1, maxK);
  }

  /** Like {@link #gen(int, int)} with k drawn from [minK, maxK]. */
  static Gen<GemmCase> gen(int maxMn, int minK, int maxK) {
    Gen<GemmCase> g =
        (rng, size) -> {
          int top = Math.max(1, maxMn * size / 100);
          int topK = Math.max(minK, maxK * size / 100);
          return new GemmCase(
              rng.nextBoolean(),
              rng.nextBoolean(),
              rng.nextInt(1, top),
              rng.nextInt(1, top),
              rng.nextInt(minK, topK),
              rng.nextBoolean(),
              rng.nextInt(0, 7),
              rng.nextInt(0, 5),
              rng.nextInt(0, 7),
              rng.nextInt(0, 5),
              rng.nextInt(0, 7),
              rng.nextInt(0, 5),
              rng.nextLong());
        };
    return g.withEdgeCases(edgeCases().stream().filter(c -> c.k() >= minK).toList());
  }

  private static List<GemmCase> edgeCases() {
    int lanes = Simd.floatLanes();
    int[] sizes = {1, lanes - 1, lanes, lanes + 1, 7, 8, 9, 11, 12, 13, 2 * lanes - 1, 2 * lanes};
    List<GemmCase> edges = new ArrayList<>();
    long seed = 17;
    for (int i = 0; i < sizes.length; i++) {
      int s = Math.max(1, sizes[i]);
      int t = Math.max(1, sizes[(i + 5) % sizes.length]);
      edges.add(
          new GemmCase(i % 2 == 0, i % 3 == 0, s, t, s + 2, i % 2 == 1, 0, 0, 0, 0, 0, 0, seed++));
      edges.add(new GemmCase(i % 3 == 1, i % 2 == 1, t, s, 3, i % 4 < 2, 1, 2, 3, 1, 5, 2, seed++));
    }
    for (int tr = 0; tr < 4; tr++) {
      boolean ta = (tr & 1) != 0;
      boolean tb = (tr & 2) != 0;
      edges.add(new GemmCase(ta, tb, 13, 2 * lanes + 1, 600, false, 2, 1, 1, 3, 4, 1, seed++));
      edges.add(new GemmCase(ta, tb, 25, 33, 257, true, 0, 0, 5, 0, 0, 7, seed++));
      edges.add(new GemmCase(ta, tb, 1, 1, 1, true, 1, 1, 1, 1, 1, 1, seed++));
    }
    // Many columns and one K block of 256: more columns than one packed B block holds (nc = 1024).
    edges.add(new GemmCase(false, false, 3, 1100, 256, false, 0, 0, 0, 0, 0, 0, seed++));
    edges.add(new GemmCase(true, true, 17, 1030, 256, true, 0, 0, 0, 0, 0, 0, seed));
    return edges;
  }
}
