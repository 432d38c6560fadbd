package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class ViewsTest {
  /** Reference value of element {@code flat} of a permuted tensor, by explicit index maths. */
  private static float permutedAt(Tensor x, int[] axes, int flat) {
    int[] shape = x.shape();
    int[] outShape = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      outShape[i] = shape[axes[i]];
    }
    int[] outIndex = new int[axes.length];
    for (int i = axes.length - 1; i >= 0; i--) {
      outIndex[i] = flat % outShape[i];
      flat /= outShape[i];
    }
    int[] inIndex = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      inIndex[axes[i]] = outIndex[i];
    }
    return x.get(inIndex);
  }

  private static int[] randomPermutation(Rng rng, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    rng.shuffle(p);
    return p;
  }

  @Test
  void permuteThenContiguousMatchesIndexMaths() {
    Gen<int[]> shapes = Gens.shapes(1, 5, 5);
    Property.check(
        "permuteMatchesIndexMaths",
        shapes,
        shape -> {
          Rng rng = new Rng(shape.length * 31L + Shapes.numel(shape));
          Tensor x = Tensor.randn(rng, shape);
          int[] axes = randomPermutation(rng, shape.length);
          float[] got = x.permute(axes).toArray();
          for (int i = 0; i < got.length; i++) {
            assertEquals(permutedAt(x, axes, i), got[i], 0f, "element " + i);
          }
        });
  }

  @Test
  void viewGradientsMatchFiniteDifferences() {
    Property.check(
        "viewGradientsMatchFiniteDifferences",
        30,
        Gens.shapes(2, 4, 4),
        shape -> {
          Rng rng = new Rng(Shapes.numel(shape));
          Tensor x = Tensor.randn(rng, shape).requiresGrad(true);
          int[] axes = randomPermutation(rng, shape.length);
          int last = shape.length - 1;
          int start = rng.nextInt(shape[last]);
          GradCheck.create()
              .check(
                  "permute+slice+reshape+expand",
                  in ->
                      in[0]
                          .permute(axes)
                          .contiguous()
                          .reshape(-1)
                          .unsqueeze(0)
                          .expand(3, Shapes.numel(shape)),
                  x);
          GradCheck.create().check("slice", in -> in[0].slice(last, start, shape[last]), x);
        });
  }

  @Test
  void sliceIsAViewSharingStorage() {
    Tensor x = Tensor.arange(12).reshape(3, 4);
    Tensor s = x.slice(1, 1, 3);
    assertArrayEquals(new int[] {3, 2}, s.shape());
    assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, s.toArray());
    x.data()[5] = 50;
    assertEquals(50f, s.get(1, 0));
  }

  @Test
  void reshapeRejectsAWrongElementCountNamingBothShapes() {
    Tensor x = Tensor.zeros(2, 3);
    KronetException e = assertThrows(KronetException.class, () -> x.reshape(4, 2));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"));
  }

  @Test
  void sumToUndoesBroadcasting() {
    Tensor g = Tensor.arange(6).reshape(2, 3);
    assertArrayEquals(new float[] {3, 5, 7}, Views.sumTo(g, new int[] {3}).toArray());
    assertArrayEquals(new float[] {3, 12}, Views.sumTo(g, new int[] {2, 1}).toArray());
    assertArrayEquals(new float[] {15}, Views.sumTo(g, new int[] {1, 1}).toArray());
  }
}
