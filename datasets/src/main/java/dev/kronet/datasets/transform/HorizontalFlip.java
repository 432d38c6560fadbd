package dev.kronet.datasets.transform;

import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;

/** Mirrors the image left–right with the given probability (0.5 is the usual choice). */
public record HorizontalFlip(double probability) implements Transform {
  public HorizontalFlip {
    if (!(probability >= 0 && probability <= 1)) {
      throw new KronetException(
          "HorizontalFlip: probability " + probability + ", expected a value in [0, 1]");
    }
  }

  @Override
  public void apply(float[] data, int offset, ImageShape shape, Rng rng) {
    // Always draw, so the stream position after this step does not depend on the outcome.
    if (rng.nextDouble() < probability) {
      flip(data, offset, shape);
    }
  }

  /** Reverses every row of every channel in place. */
  public static void flip(float[] data, int offset, ImageShape shape) {
    int w = shape.width();
    int rows = shape.channels() * shape.height();
    for (int r = 0; r < rows; r++) {
      int lo = offset + r * w;
      int hi = lo + w - 1;
      while (lo < hi) {
        float t = data[lo];
        data[lo++] = data[hi];
        data[hi--] = t;
      }
    }
  }
}
