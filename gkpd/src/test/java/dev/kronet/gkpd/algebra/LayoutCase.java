package dev.kronet.gkpd.algebra;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import java.util.Arrays;
import java.util.List;

/**
 * A drawn factor layout plus a seed for the values: the shared test input of the algebra and
 * decomposition properties. Edge cases first: size-1 factors, scalar-like A or B, both-spatial
 * splits (4×4 = 2×2 ⊗ 2×2, 3×3 = 3×1 ⊗ 1×3) and a 4-d convolution split.
 */
public record LayoutCase(int[] a, int[] b, long seed) {

  public KroneckerLayout layout() {
    return KroneckerLayout.of(a, b);
  }

  public static Gen<LayoutCase> gen(int maxRank, int maxDim) {
    Gen<LayoutCase> g =
        (rng, size) -> {
          int rank = rng.nextInt(1, maxRank);
          int top = Math.min(maxDim, Math.max(2, 1 + size * maxDim / 100));
          int[] a = new int[rank];
          int[] b = new int[rank];
          for (int n = 0; n < rank; n++) {
            a[n] = rng.nextInt(1, top);
            b[n] = rng.nextInt(1, top);
          }
          return new LayoutCase(a, b, rng.nextLong());
        };
    return g.withEdgeCases(
        List.of(
            new LayoutCase(new int[] {1}, new int[] {1}, 1),
            new LayoutCase(new int[] {1, 1}, new int[] {3, 2}, 2),
            new LayoutCase(new int[] {3, 2}, new int[] {1, 1}, 3),
            new LayoutCase(new int[] {2, 2}, new int[] {2, 2}, 4),
            new LayoutCase(new int[] {3, 1}, new int[] {1, 3}, 5),
            new LayoutCase(new int[] {2, 1, 3, 1}, new int[] {2, 3, 1, 3}, 6),
            new LayoutCase(new int[] {1, 2, 1, 1}, new int[] {4, 1, 3, 3}, 7)));
  }

  public Rng rng() {
    return new Rng(seed);
  }

  @Override
  public String toString() {
    return Arrays.toString(a) + " ⊗ " + Arrays.toString(b) + " (seed " + seed + ")";
  }
}
