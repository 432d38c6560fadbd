package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class JoinsTest {
  /** Random sizes (some 0) adding up to {@code total}. */
  private static int[] randomParts(Rng rng, int total) {
    int pieces = 1 + rng.nextInt(3);
    int[] sizes = new int[pieces];
    int left = total;
    for (int i = 0; i < pieces - 1; i++) {
      sizes[i] = rng.nextInt(0, left);
      left -= sizes[i];
    }
    sizes[pieces - 1] = left;
    return sizes;
  }

  @Test
  void concatOfSplitIsTheIdentityAndPiecesAreSlices() {
    Property.check(
        "concatOfSplitIsTheIdentity",
        50,
        Gens.shapes(1, 4, 6),
        shape -> {
          Rng rng = OpsTesting.rngFor(shape);
          Tensor x = Tensor.randn(rng, shape);
          int axis = rng.nextInt(shape.length);
          int[] sizes = randomParts(rng, shape[axis]);
          Tensor[] pieces = Joins.split(x, axis, sizes);
          int start = 0;
          for (int i = 0; i < pieces.length; i++) {
            assertEquals(sizes[i], pieces[i].size(axis));
            assertArrayEquals(
                x.slice(axis, start, start + sizes[i]).toArray(), pieces[i].toArray());
            start += sizes[i];
          }
          Tensor joined = Joins.concat(axis - shape.length, pieces);
          assertArrayEquals(shape, joined.shape());
          assertArrayEquals(x.toArray(), joined.toArray());
        });
  }

  @Test
  void joinGradientsMatchFiniteDifferences() {
    Property.check(
        "joinGradientsMatchFiniteDifferences",
        25,
        Gens.shapes(1, 3, 4),
        shape -> {
          Rng rng = OpsTesting.rngFor(shape);
          int axis = rng.nextInt(shape.length);
          int[] other = shape.clone();
          other[axis] = 1 + rng.nextInt(3);
          Tensor a = Tensor.randn(rng, shape).requiresGrad(true);
          Tensor b = Tensor.randn(rng, other).requiresGrad(true);
          GradCheck gc = GradCheck.create();
          gc.check("concat", in -> Joins.concat(axis, in[0], in[1], in[0]), a, b);
          gc.check("stack", in -> Joins.stack(axis, in[0], in[0].exp()), a);
          gc.check(
              "split",
              in -> {
                Tensor[] p = Joins.split(in[0], axis, 1, shape[axis] - 1);
                return Arithmetic.mul(p[0], 3f).sum().add(p[1].sum());
              },
              a);
          int[] before = new int[shape.length];
          int[] after = new int[shape.length];
          for (int d = 0; d < shape.length; d++) {
            before[d] = rng.nextInt(3);
            after[d] = rng.nextInt(3);
          }
          gc.check("pad", in -> Joins.pad(in[0], before, after, 0.5f), a);
        });
  }

  @Test
  void padPlacesTheInputInsideAFrameOfTheValue() {
    Property.check(
        "padMatchesIndexMaths",
        40,
        Gens.shapes(0, 3, 5),
        shape -> {
          Rng rng = OpsTesting.rngFor(shape);
          Tensor x = Tensor.randn(rng, shape);
          int rank = shape.length;
          int[] before = new int[rank];
          int[] after = new int[rank];
          for (int d = 0; d < rank; d++) {
            before[d] = rng.nextInt(3);
            after[d] = rng.nextInt(3);
          }
          // Same values through a strided view when there are two axes to swap.
          Tensor input = rank >= 2 ? x.transpose(0, 1).contiguous().transpose(0, 1) : x;
          Tensor padded = Joins.pad(input, before, after, -7f);
          int[] outShape = padded.shape();
          float[] got = padded.toArray();
          for (int i = 0; i < got.length; i++) {
            int[] index = OpsTesting.unravel(i, outShape);
            boolean inside = true;
            int[] src = new int[rank];
            for (int d = 0; d < rank; d++) {
              src[d] = index[d] - before[d];
              inside &= src[d] >= 0 && src[d] < shape[d];
            }
            assertEquals(inside ? x.get(src) : -7f, got[i], 0f, "element " + i);
          }
        });
  }

  @Test
  void stackAddsAnAxis() {
    Tensor a = Tensor.vector(1, 2);
    Tensor b = Tensor.vector(3, 4);
    Tensor s0 = Joins.stack(0, a, b);
    assertArrayEquals(new int[] {2, 2}, s0.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4}, s0.toArray());
    Tensor s1 = Joins.stack(-1, a, b);
    assertArrayEquals(new float[] {1, 3, 2, 4}, s1.toArray());
  }

  @Test
  void badJoinsAreRejectedNamingTheShapes() {
    KronetException e =
        assertThrows(
            KronetException.class, () -> Joins.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"));
    e = assertThrows(KronetException.class, () -> Joins.split(Tensor.zeros(2, 5), 1, 2, 2));
    assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[2, 2]"));
    e =
        assertThrows(
            KronetException.class,
            () -> Joins.pad(Tensor.zeros(2, 5), new int[] {1}, new int[] {1}, 0f));
    assertTrue(e.getMessage().contains("[2, 5]"), e.getMessage());
    e = assertThrows(KronetException.class, () -> Joins.stack(0, Tensor.zeros(2), Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"));
  }
}
