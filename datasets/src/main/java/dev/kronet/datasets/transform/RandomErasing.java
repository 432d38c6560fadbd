package dev.kronet.datasets.transform;

import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;

/**
 * Random erasing (Zhong et al., 2020): with probability {@code probability}, fill a rectangle
 * covering a fraction in [minArea, maxArea] of the image, with aspect ratio h/w log-uniform in
 * [minAspect, 1/minAspect], with {@code value} in every channel. Up to 10 draws are made to find a
 * rectangle that fits; if none does the image is left as it is.
 */
public record RandomErasing(
    double probability, double minArea, double maxArea, double minAspect, float value)
    implements Transform {
  private static final int ATTEMPTS = 10;

  public RandomErasing {
    if (!(probability >= 0 && probability <= 1)
        || !(minArea > 0 && minArea <= maxArea && maxArea <= 1)
        || !(minAspect > 0 && minAspect <= 1)) {
      throw new KronetException(
          "RandomErasing: found probability "
              + probability
              + ", area ["
              + minArea
              + ", "
              + maxArea
              + "], minAspect "
              + minAspect
              + "; expected probability in [0, 1], 0 < minArea ≤ maxArea ≤ 1, 0 < minAspect ≤ 1");
    }
  }

  /** The paper's defaults: p = 0.5, area 2–33 %, aspect 0.3–3.3, erased to 0. */
  public static RandomErasing defaults() {
    return new RandomErasing(0.5, 0.02, 0.33, 0.3, 0f);
  }

  @Override
  public void apply(float[] data, int offset, ImageShape shape, Rng rng) {
    if (rng.nextDouble() >= probability) {
      return;
    }
    int h = shape.height();
    int w = shape.width();
    double logLo = Math.log(minAspect);
    double logHi = -logLo;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double area = h * w * (minArea + (maxArea - minArea) * rng.nextDouble());
      double aspect = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
      int eh = (int) Math.round(Math.sqrt(area * aspect));
      int ew = (int) Math.round(Math.sqrt(area / aspect));
      if (eh < 1 || ew < 1 || eh > h || ew > w) {
        continue;
      }
      int top = rng.nextInt(h - eh + 1);
      int left = rng.nextInt(w - ew + 1);
      erase(data, offset, shape, top, left, eh, ew, value);
      return;
    }
  }

  /** Sets the rectangle rows [top, top+eh) × columns [left, left+ew) of every channel. */
  public static void erase(
      float[] data, int offset, ImageShape shape, int top, int left, int eh, int ew, float v) {
    int plane = shape.planeSize();
    int w = shape.width();
    for (int c = 0; c < shape.channels(); c++) {
      for (int y = top; y < top + eh; y++) {
        int row = offset + c * plane + y * w + left;
        java.util.Arrays.fill(data, row, row + ew, v);
      }
    }
  }
}
