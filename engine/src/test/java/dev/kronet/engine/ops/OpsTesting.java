package dev.kronet.engine.ops;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Simd;
import dev.kronet.engine.testing.Gen;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared helpers for the op tests: broadcasting shape pairs and index maths for reference loops.
 */
final class OpsTesting {
  private OpsTesting() {}

  /**
   * Pairs of shapes that broadcast together: a shape is drawn, then each operand independently
   * drops some leading dimensions and sets some dimensions to 1. Edge cases first: equal shapes,
   * scalar operands, a row and column vector, a SIMD-lane-sized trailing dimension.
   */
  static Gen<int[][]> broadcastPairs(int maxRank, int maxDim) {
    Gen<int[][]> g =
        (rng, size) -> {
          int rank = rng.nextInt(1, maxRank);
          int top = Math.max(1, (int) Math.ceil(maxDim * (double) size / 100));
          int[] full = new int[rank];
          for (int i = 0; i < rank; i++) {
            full[i] = rng.nextInt(1, Math.min(maxDim, top));
          }
          return new int[][] {thin(rng, full), thin(rng, full)};
        };
    int lanes = Simd.floatLanes();
    List<int[][]> edges = new ArrayList<>();
    edges.add(new int[][] {{1}, {1}});
    edges.add(new int[][] {{2, 3}, {2, 3}});
    edges.add(new int[][] {{lanes + 1}, {lanes + 1}});
    edges.add(new int[][] {{2, lanes - 1}, {}});
    edges.add(new int[][] {{}, {3, 2}});
    edges.add(new int[][] {{3, 1}, {1, 4}});
    edges.add(new int[][] {{2, 3, lanes}, {3, 1}});
    edges.add(new int[][] {{2, 1, 3}, {4, 1}});
    return g.withEdgeCases(edges);
  }

  /** Drops a random number of leading dimensions and sets each remaining one to 1 with p = 1/3. */
  private static int[] thin(Rng rng, int[] full) {
    int drop = rng.nextInt(3) == 0 ? rng.nextInt(0, full.length) : 0;
    int[] s = java.util.Arrays.copyOfRange(full, drop, full.length);
    for (int i = 0; i < s.length; i++) {
      if (rng.nextInt(3) == 0) {
        s[i] = 1;
      }
    }
    return s;
  }

  /** Multi-index of row-major position {@code flat} in {@code shape}. */
  static int[] unravel(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      index[i] = flat % shape[i];
      flat /= shape[i];
    }
    return index;
  }

  /** The element of {@code t} that broadcasting reads for output index {@code outIndex}. */
  static float broadcastValue(Tensor t, int[] outIndex) {
    int[] shape = t.shape();
    int lead = outIndex.length - shape.length;
    int[] index = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      index[i] = shape[i] == 1 ? 0 : outIndex[i + lead];
    }
    return t.get(index);
  }

  /** N(0, 1) values nudged away from 0: |v| ≥ margin (keeps finite differences off kinks). */
  static Tensor awayFromZero(Rng rng, float margin, int... shape) {
    float[] v = Tensor.randn(rng, shape).toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.copySign(Math.abs(v[i]) + margin, v[i]);
    }
    return Tensor.wrap(v, shape);
  }

  /**
   * N(0, 1) values kept at least {@code margin} away from each of {@code points} (the kinks of abs
   * or clamp), so that central differences with a smaller eps never straddle one.
   */
  static Tensor avoiding(Rng rng, float margin, float[] points, int... shape) {
    float[] v = Tensor.randn(rng, shape).toArray();
    for (int i = 0; i < v.length; i++) {
      boolean moved = true;
      while (moved) {
        moved = false;
        for (float p : points) {
          if (Math.abs(v[i] - p) < margin) {
            v[i] = p + (v[i] < p ? -margin : margin) * 1.5f;
            moved = true;
          }
        }
      }
    }
    return Tensor.wrap(v, shape);
  }

  /** Values uniform in [lo, hi). */
  static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
    return Tensor.uniform(rng, lo, hi, shape);
  }

  /** A seed for a case's own data, derived from its shapes so that a replay draws the same. */
  static Rng rngFor(int[]... shapes) {
    long h = 17;
    for (int[] s : shapes) {
      h = h * 31 + java.util.Arrays.hashCode(s) + Shapes.numel(s);
    }
    return new Rng(h);
  }
}
