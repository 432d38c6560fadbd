package dev.kronet.datasets;

import dev.kronet.datasets.transform.SampleSeeds;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A learnable image-classification set made from a seed, for tests and demos without real data.
 *
 * <p>Each class has a prototype: per channel, a 4×4 grid of uniform values in [−1, 1] upsampled
 * bilinearly to H×W (a smooth blotchy pattern; two classes coincide with probability 0). An image
 * of class k is its prototype moved by a random sub-pixel shift of up to one pixel, scaled by a
 * random contrast in [0.7, 1.3], plus Gaussian noise of standard deviation {@code noise} (on the
 * [0, 1] pixel scale), clipped and stored as bytes. Labels cycle 0, 1, …, classes−1, so every class
 * has count/classes images (±1). Use {@link Splits} for a held-out part: both parts then share the
 * prototypes.
 */
public final class SyntheticImages {
  private static final int GRID = 4;

  /**
   * What to generate.
   *
   * @param noise standard deviation of the per-pixel noise on the [0, 1] scale (0.1 is a fair task,
   *     0.3 a hard one)
   */
  public record Spec(
      int count, int channels, int height, int width, int classes, long seed, double noise) {
    public Spec {
      if (count < 1 || classes < 1 || !(noise >= 0 && noise <= 10)) {
        throw new KronetException(
            "SyntheticImages.Spec: count "
                + count
                + ", classes "
                + classes
                + ", noise "
                + noise
                + "; expected count ≥ 1, classes ≥ 1, noise in [0, 10]");
      }
      new ImageShape(channels, height, width); // validates the dimensions
    }
  }

  private SyntheticImages() {}

  public static ImageDataset generate(Spec spec) {
    ImageShape shape = new ImageShape(spec.channels(), spec.height(), spec.width());
    long total = (long) spec.count() * shape.size();
    if (total > Integer.MAX_VALUE - 16) {
      throw new KronetException(
          "SyntheticImages: "
              + spec.count()
              + " images of "
              + shape
              + " need "
              + total
              + " bytes, expected at most "
              + (Integer.MAX_VALUE - 16));
    }
    float[][] grids = prototypes(spec);
    byte[] pixels = new byte[(int) total];
    int[] labels = new int[spec.count()];
    for (int i = 0; i < spec.count(); i++) {
      labels[i] = i % spec.classes();
      render(spec, shape, grids[labels[i]], SampleSeeds.rng(spec.seed(), -1, i), pixels, i);
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < spec.classes(); k++) {
      names.add("class" + k);
    }
    return new ImageDataset("synthetic(seed=" + spec.seed() + ")", shape, pixels, labels, names);
  }

  private static float[][] prototypes(Spec spec) {
    Rng rng = new Rng(spec.seed());
    float[][] grids = new float[spec.classes()][spec.channels() * GRID * GRID];
    for (float[] g : grids) {
      for (int j = 0; j < g.length; j++) {
        g[j] = 2 * rng.nextFloat() - 1;
      }
    }
    return grids;
  }

  private static void render(
      Spec spec, ImageShape shape, float[] grid, Rng rng, byte[] pixels, int index) {
    int h = shape.height();
    int w = shape.width();
    double ty = 2 * rng.nextDouble() - 1;
    double tx = 2 * rng.nextDouble() - 1;
    double contrast = 0.7 + 0.6 * rng.nextDouble();
    int base = index * shape.size();
    for (int c = 0; c < shape.channels(); c++) {
      for (int y = 0; y < h; y++) {
        double u = gridCoord(y + ty, h);
        for (int x = 0; x < w; x++) {
          double v = gridCoord(x + tx, w);
          double p = bilinear(grid, c, u, v);
          double value = 0.5 + 0.35 * contrast * p + spec.noise() * rng.nextGaussian();
          int b = (int) Math.round(255 * Math.clamp(value, 0.0, 1.0));
          pixels[base + (c * h + y) * w + x] = (byte) b;
        }
      }
    }
  }

  /** Maps pixel coordinate t of an axis of length n onto [0, GRID − 1]. */
  private static double gridCoord(double t, int n) {
    if (n == 1) {
      return 0;
    }
    return Math.clamp(t * (GRID - 1) / (n - 1), 0.0, GRID - 1);
  }

  private static double bilinear(float[] grid, int c, double u, double v) {
    int u0 = Math.min((int) u, GRID - 2);
    int v0 = Math.min((int) v, GRID - 2);
    double fu = u - u0;
    double fv = v - v0;
    int o = c * GRID * GRID;
    double a = grid[o + u0 * GRID + v0];
    double b = grid[o + u0 * GRID + v0 + 1];
    double cc = grid[o + (u0 + 1) * GRID + v0];
    double d = grid[o + (u0 + 1) * GRID + v0 + 1];
    return (1 - fu) * ((1 - fv) * a + fv * b) + fu * ((1 - fv) * cc + fv * d);
  }
}
