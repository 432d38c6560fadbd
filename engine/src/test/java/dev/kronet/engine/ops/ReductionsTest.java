package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReductionsTest {
  /** A shape with a random non-empty subset of its axes (some given as negative) and keepDim. */
  private record Case(int[] shape, int[] axes, boolean keepDim) {
    @Override
    public String toString() {
      return Shapes.format(shape) + " axes " + Shapes.format(axes) + " keepDim " + keepDim;
    }
  }

  private static Gen<Case> cases(int maxRank, int maxDim) {
    Gen<int[]> shapes = Gens.shapes(1, maxRank, maxDim);
    Gen<Case> g =
        (rng, size) -> {
          int[] shape = shapes.sample(rng, size);
          List<Integer> axes = new ArrayList<>();
          for (int d = 0; d < shape.length; d++) {
            if (rng.nextInt(2) == 0) {
              axes.add(rng.nextInt(2) == 0 ? d : d - shape.length);
            }
          }
          if (axes.isEmpty()) {
            axes.add(rng.nextInt(shape.length));
          }
          return new Case(
              shape, axes.stream().mapToInt(Integer::intValue).toArray(), rng.nextInt(2) == 0);
        };
    return g.withEdgeCases(
        List.of(
            new Case(new int[] {1}, new int[] {0}, false),
            new Case(new int[] {3, 4}, new int[] {-1}, true),
            new Case(new int[] {3, 4}, new int[] {0}, false),
            new Case(new int[] {2, 3, 4}, new int[] {0, 2}, false),
            new Case(new int[] {2, 3, 4}, new int[] {1}, true)));
  }

  /** Sums by visiting every element and adding it to its output slot, in double. */
  private static double[] referenceSums(Tensor x, boolean[] reduced) {
    int[] shape = x.shape();
    int kept = 1;
    for (int d = 0; d < shape.length; d++) {
      kept *= reduced[d] ? 1 : shape[d];
    }
    double[] sums = new double[kept];
    for (int i = 0; i < x.numel(); i++) {
      int[] index = OpsTesting.unravel(i, shape);
      int slot = 0;
      for (int d = 0; d < shape.length; d++) {
        if (!reduced[d]) {
          slot = slot * shape[d] + index[d];
        }
      }
      sums[slot] += x.get(index);
    }
    return sums;
  }

  private static boolean[] mask(int rank, int[] axes) {
    boolean[] m = new boolean[rank];
    for (int a : axes) {
      m[a < 0 ? a + rank : a] = true;
    }
    return m;
  }

  private static int[] expectedShape(int[] shape, boolean[] reduced, boolean keepDim) {
    return java.util.stream.IntStream.range(0, shape.length)
        .filter(d -> keepDim || !reduced[d])
        .map(d -> reduced[d] ? 1 : shape[d])
        .toArray();
  }

  @Test
  void sumAndMeanMatchAReferenceLoop() {
    Property.check(
        "sumAndMeanMatchAReferenceLoop",
        60,
        cases(4, 6),
        c -> {
          // A transposed view, so the strided path is exercised too.
          int[] swapped = c.shape.clone();
          swapped[0] = c.shape[c.shape.length - 1];
          swapped[swapped.length - 1] = c.shape[0];
          Tensor x = Tensor.randn(OpsTesting.rngFor(c.shape), swapped).transpose(0, -1);
          boolean[] reduced = mask(c.shape.length, c.axes);
          double[] ref = referenceSums(x, reduced);
          long count = 1;
          for (int d = 0; d < c.shape.length; d++) {
            count *= reduced[d] ? c.shape[d] : 1;
          }
          Tensor sum = Reductions.sum(x, c.axes, c.keepDim);
          Tensor mean = Reductions.mean(x, c.axes, c.keepDim);
          assertArrayEquals(expectedShape(c.shape, reduced, c.keepDim), sum.shape());
          assertArrayEquals(sum.shape(), mean.shape());
          float[] s = sum.toArray();
          float[] m = mean.toArray();
          for (int i = 0; i < ref.length; i++) {
            assertEquals((float) ref[i], s[i], 1e-6f * (1 + Math.abs(ref[i])), "sum " + i);
            assertEquals((float) (ref[i] / count), m[i], 1e-6f, "mean " + i);
          }
        });
  }

  @Test
  void reductionGradientsMatchFiniteDifferences() {
    Property.check(
        "reductionGradientsMatchFiniteDifferences",
        30,
        cases(3, 4),
        c -> {
          Rng rng = OpsTesting.rngFor(c.shape);
          Tensor x = Tensor.randn(rng, c.shape).requiresGrad(true);
          GradCheck gc = GradCheck.create();
          gc.check("sum", in -> Reductions.sum(in[0], c.axes, c.keepDim), x);
          gc.check("mean", in -> Reductions.mean(in[0], c.axes, c.keepDim), x);
          gc.check("sum all", in -> Reductions.sum(in[0]), x);
          gc.check("mean all", in -> Reductions.mean(in[0]), x);
          gc.check("var", in -> Reductions.var(in[0], c.axes, c.keepDim, false), x);
          // max: distinct values 0.1 apart, so ±eps never changes the arg-max.
          Tensor spaced = distinctShuffled(rng, c.shape).requiresGrad(true);
          int axis = c.axes[0];
          gc.check("max", in -> Reductions.max(in[0], axis, c.keepDim), spaced);
          gc.check("max all", in -> Reductions.max(in[0]), spaced);
        });
  }

  private static Tensor distinctShuffled(Rng rng, int[] shape) {
    int n = Shapes.numel(shape);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    rng.shuffle(order);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.1f * order[i] - 0.05f * n;
    }
    return Tensor.wrap(v, shape);
  }

  @Test
  void maxAndArgmaxMatchAReferenceScan() {
    Property.check(
        "maxAndArgmaxMatchAReferenceScan",
        50,
        cases(4, 5),
        c -> {
          // Few distinct values, so ties are common and "first occurrence" is exercised.
          Rng rng = OpsTesting.rngFor(c.shape);
          float[] v = new float[Shapes.numel(c.shape)];
          for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(4);
          }
          Tensor x = Tensor.wrap(v, c.shape);
          int rank = c.shape.length;
          int a = c.axes[0] < 0 ? c.axes[0] + rank : c.axes[0];
          Tensor max = Reductions.max(x, a, false);
          Tensor arg = Reductions.argmax(x, a);
          int[] argInts = Reductions.argmaxIndices(x, a);
          boolean[] reduced = new boolean[rank];
          reduced[a] = true;
          int[] outShape = expectedShape(c.shape, reduced, false);
          assertArrayEquals(outShape, max.shape());
          assertArrayEquals(outShape, arg.shape());
          for (int i = 0; i < max.numel(); i++) {
            int[] outIndex = OpsTesting.unravel(i, outShape);
            int[] index = new int[rank];
            for (int d = 0, j = 0; d < rank; d++) {
              index[d] = d == a ? 0 : outIndex[j++];
            }
            float best = Float.NEGATIVE_INFINITY;
            int bestAt = -1;
            for (int k = 0; k < c.shape[a]; k++) {
              index[a] = k;
              if (x.get(index) > best) {
                best = x.get(index);
                bestAt = k;
              }
            }
            assertEquals(best, max.toArray()[i], 0f);
            assertEquals(bestAt, argInts[i]);
            assertEquals(bestAt, arg.toArray()[i], 0f);
          }
        });
  }

  @Test
  void maxSendsTheWholeGradientToTheFirstMaximum() {
    Tensor x = Tensor.vector(1f, 3f, 3f, 2f).requiresGrad(true);
    Tensor m = Reductions.max(x, 0, true);
    assertArrayEquals(new int[] {1}, m.shape());
    m.backward(Tensor.vector(5f));
    assertArrayEquals(new float[] {0, 5, 0, 0}, x.grad().toArray());
    assertTrue(Float.isNaN(Reductions.max(Tensor.vector(1f, Float.NaN, 2f)).item()));
    assertNull(Reductions.argmax(x, 0).gradFn(), "argmax is not differentiable");
  }

  @Test
  void sumsAreAccumulatedInDouble() {
    // 2^20 copies of 0.1f: a float running sum drifts by about 1%, a double one is exact to float.
    int n = 1 << 20;
    Tensor x = Tensor.full(0.1f, n);
    double exact = (double) 0.1f * n;
    assertEquals((float) exact, Reductions.sum(x).item(), 0f);
    assertEquals(0.1f, Reductions.mean(x).item(), 0f);
  }

  @Test
  void varianceMatchesTheTwoPassFormula() {
    Tensor x = Tensor.of(new float[] {1, 2, 4, 7, 2, 2}, 2, 3);
    // Row 0: mean 7/3, Σ(x − mean)² = 14/3; row 1: mean 11/3, Σ = 50/3.
    assertArrayEquals(
        new float[] {7f / 3, 25f / 3},
        Reductions.var(x, new int[] {1}, false, true).toArray(),
        1e-6f);
    assertArrayEquals(
        new float[] {14f / 9, 50f / 9},
        Reductions.var(x, new int[] {-1}, true, false).toArray(),
        1e-6f);
  }

  @Test
  void fullReductionsGiveZeroDimensionalTensorsAndTensorMethodsAgree() {
    Tensor x = Tensor.arange(6).reshape(2, 3);
    assertArrayEquals(new int[] {}, x.sum().shape());
    assertEquals(15f, x.sum().item());
    assertEquals(2.5f, x.mean().item());
    assertArrayEquals(new float[] {3, 12}, x.sum(1, false).toArray());
    assertArrayEquals(new int[] {2, 1}, x.mean(-1, true).shape());
    assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, x.mean(new int[] {0}, false).toArray());
    assertArrayEquals(new float[] {15}, x.sum(new int[] {0, 1}, true).toArray());
    assertArrayEquals(new float[] {3, 4, 5}, x.max(0).toArray());
    assertArrayEquals(new float[] {2, 2}, x.argmax(1).toArray());
    assertEquals(7f, Reductions.sum(Tensor.scalar(7f)).item());
  }

  @Test
  void badAxesAreRejectedNamingTheShape() {
    Tensor x = Tensor.zeros(2, 3);
    KronetException e =
        assertThrows(KronetException.class, () -> Reductions.sum(x, new int[] {2}, false));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("axis 2"));
    e = assertThrows(KronetException.class, () -> Reductions.sum(x, new int[] {1, -1}, false));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(KronetException.class, () -> Reductions.max(Tensor.zeros(2, 0), 1, false));
    assertTrue(e.getMessage().contains("[2, 0]"), e.getMessage());
  }
}
