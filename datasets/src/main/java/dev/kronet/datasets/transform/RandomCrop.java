package dev.kronet.datasets.transform;

import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import java.util.Arrays;

/**
 * Pads the image with {@code padding} zeros on every side and crops a window of the original size
 * at a uniformly random position — the standard CIFAR augmentation (pad 4, crop 32).
 *
 * <p>Done without a padded copy: the crop at top-left (oy, ox) of the padded image equals the
 * original shifted by (dy, dx) = (oy − p, ox − p) with zeros where it leaves the frame (see {@link
 * #shift}).
 */
public record RandomCrop(int padding) implements Transform {
  public RandomCrop {
    if (padding < 0) {
      throw new KronetException("RandomCrop: padding " + padding + ", expected ≥ 0");
    }
  }

  @Override
  public void apply(float[] data, int offset, ImageShape shape, Rng rng) {
    int dy = rng.nextInt(2 * padding + 1) - padding;
    int dx = rng.nextInt(2 * padding + 1) - padding;
    shift(data, offset, shape, dy, dx);
  }

  /**
   * In place: {@code out[c][y][x] = in[c][y + dy][x + dx]}, or 0 where that falls outside.
   *
   * <p>Within a plane the source of flat index i is i + (dy·W + dx); walking upwards when that
   * offset is ≥ 0 (downwards otherwise) reads every source before it is overwritten.
   */
  public static void shift(float[] data, int offset, ImageShape shape, int dy, int dx) {
    if (dy == 0 && dx == 0) {
      return;
    }
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    int delta = dy * w + dx;
    // Columns of the output whose source column x + dx is inside [0, w).
    int x0 = Math.max(0, -dx);
    int x1 = Math.min(w, w - dx);
    for (int c = 0; c < shape.channels(); c++) {
      int base = offset + c * plane;
      if (delta >= 0) {
        for (int y = 0; y < h; y++) {
          shiftRow(data, base + y * w, y + dy, h, w, x0, x1, delta);
        }
      } else {
        for (int y = h - 1; y >= 0; y--) {
          shiftRow(data, base + y * w, y + dy, h, w, x0, x1, delta);
        }
      }
    }
  }

  private static void shiftRow(
      float[] data, int row, int srcY, int h, int w, int x0, int x1, int delta) {
    if (srcY < 0 || srcY >= h || x0 >= x1) {
      Arrays.fill(data, row, row + w, 0f);
      return;
    }
    // Copy before zeroing: when dy = 0 the zeroed columns are part of the source. arraycopy
    // handles the overlap within one row.
    System.arraycopy(data, row + x0 + delta, data, row + x0, x1 - x0);
    Arrays.fill(data, row, row + x0, 0f);
    Arrays.fill(data, row + x1, row + w, 0f);
  }
}
