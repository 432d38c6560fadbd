package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
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
}
