package dev.kronet.engine.testing;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Simd;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Ready-made generators: sizes with SIMD-aware edge cases, shapes, tensors. */
public final class Gens {
  private Gens() {}

  /**
   * Integers in {@code [lo, hi]}; at size s the upper end shrinks towards lo. Edge cases: lo, hi,
   * and the SIMD lane width and its neighbours when they fall in range.
   */
  public static Gen<Integer> ints(int lo, int hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("ints(" + lo + ", " + hi + ")");
    }
    Gen<Integer> g =
        (rng, size) -> {
          int span = hi - lo;
          int top = lo + (int) Math.ceil(span * (double) size / Property.MAX_SIZE);
          return rng.nextInt(lo, Math.max(lo, Math.min(hi, top)));
        };
    Set<Integer> edges = new LinkedHashSet<>();
    edges.add(lo);
    int lanes = Simd.floatLanes();
    for (int v : new int[] {lanes - 1, lanes, lanes + 1, hi}) {
      if (v >= lo && v <= hi) {
        edges.add(v);
      }
    }
    return g.withEdgeCases(List.copyOf(edges));
  }

  /** One of the given values, uniformly; all of them are edge cases. */
  @SafeVarargs
  public static <T> Gen<T> oneOf(T... values) {
    Gen<T> g = (rng, size) -> values[rng.nextInt(values.length)];
    return g.withEdgeCases(List.of(values));
  }

  /** Shapes of rank in [minRank, maxRank] with each dimension in [1, maxDim]. */
  public static Gen<int[]> shapes(int minRank, int maxRank, int maxDim) {
    Gen<Integer> dim = ints(1, maxDim);
    Gen<int[]> g =
        (rng, size) -> {
          int rank = rng.nextInt(minRank, maxRank);
          int[] s = new int[rank];
          for (int i = 0; i < rank; i++) {
            s[i] = dim.sample(rng, size);
          }
          return s;
        };
    List<int[]> edges = new ArrayList<>();
    for (int d : dim.edgeCases()) {
      int[] s = new int[Math.max(minRank, 1)];
      java.util.Arrays.fill(s, 1);
      s[s.length - 1] = d;
      edges.add(s);
    }
    return g.withEdgeCases(edges);
  }

  /** Tensors of the given shape with N(0, 1) values drawn from the case's generator. */
  public static Gen<Tensor> tensors(Gen<int[]> shapes) {
    return (rng, size) -> Tensor.randn(rng, shapes.sample(rng, size));
  }
}
