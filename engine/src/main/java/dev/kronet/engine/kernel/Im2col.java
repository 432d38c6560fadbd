package dev.kronet.engine.kernel;

/**
 * The im2col lowering of a convolution to a matrix product, and its adjoint col2im.
 *
 * <p>Layout: one image {@code [C, H, W]} (row-major) becomes the column matrix {@code [C·kh·kw,
 * outH·outW]}; row {@code (c·kh + ky)·kw + kx} holds, for every output position, the input value
 * under kernel tap {@code (ky, kx)} of channel {@code c} (zero where the tap falls in the padding).
 * That row order matches a weight tensor {@code [F, C, kh, kw]} read as an {@code F × C·kh·kw}
 * matrix, so the forward pass is {@code out = W · col}.
 *
 * <p>Speed: ResNet layers on 28×28 inputs have output rows of 28, 14 or 7 values, so the per-row
 * bookkeeping costs as much as the copying. The loops therefore work out, once per kernel tap, the
 * range of output rows and columns that read inside the image and run plain counted loops over it
 * (no library call per row, which cost more than a 7-float copy), and {@link #im2colOverZeros}
 * skips the padding entries altogether for callers that reuse one column buffer.
 */
public final class Im2col {
  private Im2col() {}

  /** Fills {@code col[colOff …]} from the image at {@code src[srcOff …]}, padding included. */
  public static void im2col(ConvGeometry g, float[] src, int srcOff, float[] col, int colOff) {
    lower(g, src, srcOff, col, colOff, true);
  }

  /**
   * Like {@link #im2col} but writes only the entries that come from the image: the padding entries
   * of {@code col} must already be zero. They are when the buffer is fresh, or has only ever been
   * filled by this method or {@link #im2col} with the same geometry, because which entries are
   * padding depends on the geometry alone; a convolution then zeroes its scratch buffer once per
   * thread instead of once per image.
   */
  public static void im2colOverZeros(
      ConvGeometry g, float[] src, int srcOff, float[] col, int colOff) {
    lower(g, src, srcOff, col, colOff, false);
  }

  private static void lower(
      ConvGeometry g, float[] src, int srcOff, float[] col, int colOff, boolean zeroPadding) {
    int outW = g.outW();
    int outH = g.outH();
    int sw = g.strideW();
    int width = g.width();
    int plane = outH * outW;
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int image = srcOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int oy0 = firstValidOy(g, ky);
        int oy1 = endValidOy(g, ky);
        for (int kx = 0; kx < g.kernelW(); kx++, row += plane) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          if (oy0 >= oy1 || lo >= hi) {
            if (zeroPadding) {
              zero(col, row, plane);
            }
            continue;
          }
          if (zeroPadding) {
            zero(col, row, oy0 * outW);
            zero(col, row + oy1 * outW, (outH - oy1) * outW);
          }
          int len = hi - lo;
          for (int oy = oy0; oy < oy1; oy++) {
            int d = row + oy * outW;
            int s = image + g.inputRow(oy, ky) * width + g.inputCol(lo, kx);
            if (zeroPadding) {
              zero(col, d, lo);
              zero(col, d + hi, outW - hi);
            }
            d += lo;
            if (sw == 1) {
              for (int i = 0; i < len; i++) {
                col[d + i] = src[s + i];
              }
            } else {
              for (int i = 0; i < len; i++) {
                col[d + i] = src[s + i * sw];
              }
            }
          }
        }
      }
    }
  }

  /**
   * Adds the column matrix at {@code col[colOff …]} back onto the image at {@code dst[dstOff …]}:
   * every column entry is summed into the input pixel it was copied from (entries that came from
   * the padding are dropped). This is the adjoint of {@link #im2col}, i.e. the input gradient.
   */
  public static void col2imAdd(ConvGeometry g, float[] col, int colOff, float[] dst, int dstOff) {
    int outW = g.outW();
    int sw = g.strideW();
    int width = g.width();
    int plane = g.outPlane();
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int image = dstOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int oy0 = firstValidOy(g, ky);
        int oy1 = endValidOy(g, ky);
        for (int kx = 0; kx < g.kernelW(); kx++, row += plane) {
          int lo = g.firstValidOx(kx);
          int len = g.endValidOx(kx) - lo;
          for (int oy = oy0; oy < oy1; oy++) {
            int s = row + oy * outW + lo;
            int d = image + g.inputRow(oy, ky) * width + g.inputCol(lo, kx);
            if (sw == 1) {
              for (int i = 0; i < len; i++) {
                dst[d + i] += col[s + i];
              }
            } else {
              for (int i = 0; i < len; i++) {
                dst[d + i * sw] += col[s + i];
              }
            }
          }
        }
      }
    }
  }

  /** First output row whose input row {@code oy·strideH − padTop + ky·dilationH} is ≥ 0. */
  private static int firstValidOy(ConvGeometry g, int ky) {
    int shift = g.padTop() - ky * g.dilationH();
    return shift <= 0 ? 0 : Math.min(g.outH(), (shift + g.strideH() - 1) / g.strideH());
  }

  /** One past the last output row whose input row is < height (never below the first). */
  private static int endValidOy(ConvGeometry g, int ky) {
    int limit = g.height() + g.padTop() - ky * g.dilationH();
    int end = limit <= 0 ? 0 : Math.min(g.outH(), (limit + g.strideH() - 1) / g.strideH());
    return Math.max(end, firstValidOy(g, ky));
  }

  private static void zero(float[] a, int from, int count) {
    for (int i = 0; i < count; i++) {
      a[from + i] = 0f;
    }
  }
}
