package dev.kronet.datasets.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformsTest {
  /** An image shape, an offset into a larger buffer, and values drawn from a case seed. */
  record Case(ImageShape shape, int offset, long seed) {
    float[] buffer() {
      Rng rng = new Rng(seed);
      float[] b = new float[offset + shape.size() + 3];
      for (int i = 0; i < b.length; i++) {
        b[i] = rng.nextFloat() + 0.01f; // never 0, so zero-filled pixels are visible
      }
      return b;
    }
  }

  static Gen<Case> cases() {
    Gen<Integer> dim = Gens.ints(1, 12);
    return Gen.of(
            (rng, size) ->
                new Case(
                    new ImageShape(rng.nextInt(1, 3), dim.sample(rng, size), dim.sample(rng, size)),
                    rng.nextInt(0, 5),
                    rng.nextLong()))
        .withEdgeCases(
            List.of(
                new Case(new ImageShape(1, 1, 1), 0, 1),
                new Case(new ImageShape(3, 1, 7), 2, 2),
                new Case(new ImageShape(2, 9, 1), 1, 3)));
  }

  @Test
  void flippingTwiceIsTheIdentity() {
    Property.check(
        "flipTwiceIsIdentity",
        50,
        cases(),
        c -> {
          float[] b = c.buffer();
          float[] original = b.clone();
          HorizontalFlip.flip(b, c.offset(), c.shape());
          HorizontalFlip.flip(b, c.offset(), c.shape());
          assertArrayEquals(original, b);
        });
  }

  @Test
  void flipMirrorsEveryRow() {
    ImageShape s = new ImageShape(2, 2, 3);
    float[] b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    HorizontalFlip.flip(b, 0, s);
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, b);
  }

  /** The definition: pad with zeros, then take the H×W window at (p + dy, p + dx). */
  static float[] padThenCrop(float[] b, int offset, ImageShape s, int p, int dy, int dx) {
    int h = s.height();
    int w = s.width();
    int ph = h + 2 * p;
    int pw = w + 2 * p;
    float[] out = b.clone();
    for (int c = 0; c < s.channels(); c++) {
      float[] padded = new float[ph * pw];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          padded[(y + p) * pw + x + p] = b[offset + (c * h + y) * w + x];
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[offset + (c * h + y) * w + x] = padded[(y + p + dy) * pw + x + p + dx];
        }
      }
    }
    return out;
  }

  @Test
  void inPlaceShiftEqualsPadThenCrop() {
    Property.check(
        "shiftEqualsPadThenCrop",
        80,
        cases(),
        c -> {
          Rng rng = new Rng(c.seed() ^ 77);
          int p = rng.nextInt(0, 5);
          int dy = rng.nextInt(-p, p);
          int dx = rng.nextInt(-p, p);
          float[] b = c.buffer();
          float[] expected = padThenCrop(b, c.offset(), c.shape(), p, dy, dx);
          RandomCrop.shift(b, c.offset(), c.shape(), dy, dx);
          assertArrayEquals(expected, b, "pad " + p + " shift (" + dy + ", " + dx + ")");
        });
  }

  @Test
  void cropWithPaddingZeroIsTheIdentity() {
    Property.check(
        "cropPad0IsIdentity",
        30,
        cases(),
        c -> {
          float[] b = c.buffer();
          float[] original = b.clone();
          new RandomCrop(0).apply(b, c.offset(), c.shape(), new Rng(c.seed()));
          assertArrayEquals(original, b);
        });
  }

  @Test
  void erasingFillsExactlyOneRectangleInsideTheImage() {
    Property.check(
        "erasingFillsOneRectangle",
        50,
        cases(),
        c -> {
          float[] b = c.buffer();
          float[] original = b.clone();
          new RandomErasing(1.0, 0.02, 0.5, 0.3, 0f)
              .apply(b, c.offset(), c.shape(), new Rng(c.seed()));
          ImageShape s = c.shape();
          int plane = s.planeSize();
          // Outside the image nothing changes; inside, the changed pixels of channel 0 form a
          // rectangle that is the same in every channel.
          for (int i = 0; i < b.length; i++) {
            if (i < c.offset() || i >= c.offset() + s.size()) {
              assertEquals(original[i], b[i], "outside the image at " + i);
            }
          }
          int y0 = Integer.MAX_VALUE, y1 = -1, x0 = Integer.MAX_VALUE, x1 = -1;
          for (int k = 0; k < plane; k++) {
            if (b[c.offset() + k] == 0f) {
              y0 = Math.min(y0, k / s.width());
              y1 = Math.max(y1, k / s.width());
              x0 = Math.min(x0, k % s.width());
              x1 = Math.max(x1, k % s.width());
            }
          }
          for (int ch = 0; ch < s.channels(); ch++) {
            for (int k = 0; k < plane; k++) {
              int y = k / s.width();
              int x = k % s.width();
              boolean inside = y >= y0 && y <= y1 && x >= x0 && x <= x1;
              int at = c.offset() + ch * plane + k;
              assertEquals(inside ? 0f : original[at], b[at], "channel " + ch + " pixel " + k);
            }
          }
        });
  }

  @Test
  void randomTransformsAreDeterministicPerSeedEpochAndIndex() {
    ImageShape s = new ImageShape(3, 8, 8);
    List<Transform> steps =
        List.of(new RandomCrop(2), new HorizontalFlip(0.5), RandomErasing.defaults());
    float[] base = new Case(s, 0, 9).buffer();
    float[] a = run(steps, base, s, SampleSeeds.rng(7, 3, 11));
    float[] again = run(steps, base, s, SampleSeeds.rng(7, 3, 11));
    assertArrayEquals(a, again);
    int differing = 0;
    for (int index = 0; index < 20; index++) {
      if (!Arrays.equals(a, run(steps, base, s, SampleSeeds.rng(7, 4, index)))) {
        differing++;
      }
    }
    assertTrue(differing > 10, "other (epoch, index) pairs should mostly differ: " + differing);
  }

  private static float[] run(List<Transform> steps, float[] base, ImageShape s, Rng rng) {
    float[] b = base.clone();
    for (Transform t : steps) {
      t.apply(b, 0, s, rng);
    }
    return b;
  }

  @Test
  void sampleSeedsSeparateNeighbouringEpochsAndIndices() {
    assertEquals(SampleSeeds.of(1, 2, 3), SampleSeeds.of(1, 2, 3));
    assertFalse(SampleSeeds.of(1, 2, 3) == SampleSeeds.of(1, 3, 2));
    assertFalse(SampleSeeds.of(1, 0, 1) == SampleSeeds.of(1, 1, 0));
    assertFalse(SampleSeeds.of(0, 0, 0) == SampleSeeds.of(1, 0, 0));
  }

  @Test
  void flipProbabilityOneAlwaysFlipsAndZeroNever() {
    ImageShape s = new ImageShape(1, 2, 3);
    float[] b = {1, 2, 3, 4, 5, 6};
    new HorizontalFlip(1.0).apply(b, 0, s, new Rng(1));
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, b);
    new HorizontalFlip(0.0).apply(b, 0, s, new Rng(1));
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, b);
  }

  @Test
  void invalidParametersAreRejected() {
    assertThrows(KronetException.class, () -> new RandomCrop(-1));
    assertThrows(KronetException.class, () -> new HorizontalFlip(1.5));
    assertThrows(KronetException.class, () -> new RandomErasing(0.5, 0.5, 0.1, 0.3, 0));
    assertThrows(KronetException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    assertThrows(KronetException.class, () -> new Normalize(new float[] {0, 1}, new float[] {1}));
    Normalize n = new Normalize(new float[] {0.5f}, new float[] {0.25f});
    assertThrows(
        KronetException.class,
        () -> n.apply(new float[12], 0, new ImageShape(3, 2, 2), new Rng(0)));
  }
}
