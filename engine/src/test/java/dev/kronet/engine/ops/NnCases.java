package dev.kronet.engine.ops;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared inputs for the neural-network op tests: a shape plus a seed for the values. */
record NnCases(int[] shape, long seed) {
  Rng rng() {
    return new Rng(seed);
  }

  @Override
  public String toString() {
    return "shape " + Arrays.toString(shape) + ", value seed " + seed;
  }

  /**
   * Shapes of rank [minRank, maxRank], dims in [1, maxDim], each with a seed; shape edges first.
   */
  static Gen<NnCases> of(int minRank, int maxRank, int maxDim) {
    Gen<int[]> shapes = Gens.shapes(minRank, maxRank, maxDim);
    Gen<NnCases> g = (rng, size) -> new NnCases(shapes.sample(rng, size), rng.nextLong());
    List<NnCases> edges = new ArrayList<>();
    long s = 11;
    for (int[] e : shapes.edgeCases()) {
      edges.add(new NnCases(e, s++));
    }
    return g.withEdgeCases(edges);
  }

  /**
   * Uniform values in [lo, hi) at least {@code margin} away from every point in {@code kinks}, so
   * that a finite-difference step smaller than the margin never straddles a kink.
   */
  static Tensor awayFrom(Rng rng, float lo, float hi, float margin, float[] kinks, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      float v;
      do {
        v = lo + (hi - lo) * rng.nextFloat();
      } while (near(v, kinks, margin));
      d[i] = v;
    }
    return t;
  }

  private static boolean near(float v, float[] kinks, float margin) {
    for (float k : kinks) {
      if (Math.abs(v - k) < margin) {
        return true;
      }
    }
    return false;
  }
}
