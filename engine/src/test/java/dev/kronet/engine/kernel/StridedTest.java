package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import dev.kronet.engine.testing.WithThreads;
import org.junit.jupiter.api.Test;

class StridedTest {
  @Test
  void scatterIntoAPermutedSliceWritesExactlyThoseElements() {
    Property.check(
        "scatterInvertsCopy",
        60,
        Gens.shapes(1, 4, 6),
        shape -> {
          Rng rng = new Rng(Shapes.numel(shape) * 7L + shape.length);
          int rank = shape.length;
          int[] axes = new int[rank];
          for (int i = 0; i < rank; i++) {
            axes[i] = i;
          }
          rng.shuffle(axes);
          Tensor base = Tensor.randn(rng, shape);
          Tensor view = base.permute(axes);
          int last = rank - 1;
          int start = rng.nextInt(view.size(last));
          view = view.slice(last, start, view.size(last));
          float[] before = base.toArray();
          float[] values = Tensor.randn(rng, view.shape()).toArray();
          Strided.scatter(values, 0, base.data(), view.offset(), view.shape(), view.strides());
          float[] back = new float[values.length];
          Strided.copy(base.data(), view.offset(), view.shape(), view.strides(), back, 0);
          assertArrayEquals(values, back);
          // Elements outside the view are untouched.
          float[] mask = new float[before.length];
          float[] ones = new float[values.length];
          java.util.Arrays.fill(ones, 1f);
          Strided.scatter(ones, 0, mask, view.offset(), view.shape(), view.strides());
          float[] after = base.toArray();
          int inside = 0;
          for (int i = 0; i < after.length; i++) {
            if (mask[i] == 0f) {
              assertEquals(before[i], after[i], 0f, "element " + i + " outside the view");
            } else {
              inside++;
            }
          }
          assertEquals(values.length, inside);
        });
  }

  /**
   * Copying any view — permuted, sliced with a step, with broadcast (stride 0) and size-1 axes —
   * gives the elements the index formula names, in row-major order (the axis merging must not
   * change which element lands where).
   */
  @Test
  void copyGathersEveryElementOfAnyView() {
    Property.check(
        "copyGathersEveryElementOfAnyView",
        80,
        Gens.shapes(0, 6, 5),
        shape -> {
          Rng rng = new Rng(Shapes.numel(shape) * 31L + shape.length);
          int rank = shape.length;
          int[] strides = new int[rank];
          int[] order = new int[rank];
          for (int i = 0; i < rank; i++) {
            order[i] = i;
          }
          rng.shuffle(order);
          int step = 1;
          for (int i = rank - 1; i >= 0; i--) {
            int ax = order[i];
            // every third axis a broadcast, the others strided with an occasional gap
            strides[ax] = rng.nextInt(3) == 0 ? 0 : step;
            step *= Math.max(1, shape[ax]) + (rng.nextInt(2) == 0 ? 0 : 1);
          }
          int offset = rng.nextInt(3);
          float[] src = new float[offset + step + 1];
          for (int i = 0; i < src.length; i++) {
            src[i] = i;
          }
          int n = Shapes.numel(shape);
          float[] want = new float[n];
          int[] index = new int[rank];
          for (int k = 0; k < n; k++) {
            int at = offset;
            for (int d = 0, rest = k; d < rank; d++) {
              int inner = 1;
              for (int e = d + 1; e < rank; e++) {
                inner *= shape[e];
              }
              index[d] = rest / inner;
              rest %= inner;
              at += index[d] * strides[d];
            }
            want[k] = src[at];
          }
          float[] got = new float[n + 2];
          Strided.copy(src, offset, shape, strides, got, 1);
          assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 1, n + 1));
        });
  }

  /**
   * Views large enough to be split over threads (chunks of ≥ 2^16 elements), gathered and scattered
   * on two threads, against the same moves done element by element: permuted, with gaps between
   * rows.
   */
  @WithThreads(2)
  @Test
  void largeViewsMoveTheSameOnSeveralThreads() {
    Property.check(
        "largeViewsMoveTheSameOnSeveralThreads",
        6,
        Gens.shapes(3, 4, 24),
        dims -> {
          int[] shape = dims.clone();
          int others = Shapes.numel(shape) / shape[0];
          // an outer axis long enough to split, and 2^18 elements or more: several chunks
          shape[0] = Math.max(3 + shape[0] * 9, (1 << 18) / others + 1);
          int rank = shape.length;
          int[] strides = new int[rank];
          int step = 1;
          for (int ax = 0; ax < rank; ax++) { // reversed axis order: a permuted view
            strides[ax] = step;
            step *= shape[ax] + (ax == rank - 1 ? 1 : 0);
          }
          int n = Shapes.numel(shape);
          float[] src = new float[step + 3];
          for (int i = 0; i < src.length; i++) {
            src[i] = i;
          }
          float[] want = new float[n];
          int[] index = new int[rank];
          for (int k = 0; k < n; k++) {
            int at = 2;
            for (int d = rank - 1, rest = k; d >= 0; d--) {
              index[d] = rest % shape[d];
              rest /= shape[d];
              at += index[d] * strides[d];
            }
            want[k] = src[at];
          }
          float[] got = new float[n];
          Strided.copy(src, 2, shape, strides, got, 0);
          assertArrayEquals(want, got, "gather of " + Shapes.format(shape));
          float[] back = new float[src.length];
          Strided.scatter(got, 0, back, 2, shape, strides);
          float[] gathered = new float[n];
          Strided.copy(back, 2, shape, strides, gathered, 0);
          assertArrayEquals(want, gathered, "scatter of " + Shapes.format(shape));
        });
  }

  @Test
  void mergesAxesTheViewWalksAsOne() {
    // [R, F2, N, C1, H, W] permuted (2, 1, 0, 3, 4, 5): C1, H, W stay one run
    int[][] merged =
        Strided.merge(new int[] {4, 4, 3, 4, 5, 6}, new int[] {120, 1440, 5760, 30, 6, 1});
    assertArrayEquals(new int[] {4, 4, 3, 120}, merged[0]);
    assertArrayEquals(new int[] {120, 1440, 5760, 1}, merged[1]);
    int[][] ones = Strided.merge(new int[] {1, 3, 1}, new int[] {7, 2, 9});
    assertArrayEquals(new int[] {3}, ones[0]);
    assertArrayEquals(new int[] {2}, ones[1]);
  }
}
