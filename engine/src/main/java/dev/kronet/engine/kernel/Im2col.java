package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * The im2col lowering of a convolution to a matrix product, and its adjoint col2im.
 *
 * <p>Layout: one image {@code [C, H, W]} (row-major) becomes the column matrix {@code [C·kh·kw,
 * outH·outW]}; row {@code (c·kh + ky)·kw + kx} holds, for every output position, the input value
 * under kernel tap {@code (ky, kx)} of channel {@code c} (zero where the tap falls in the padding).
 * That row order matches a weight tensor {@code [F, C, kh, kw]} read as an {@code F × C·kh·kw}
 * matrix, so the forward pass is {@code out = W · col}.
 *
 * <p>Speed: ResNet layers on 28×28 inputs have output rows of only 28, 14 or 7 values. For stride 1
 * with "same" padding each kernel tap's rows are copied as one block (one {@code arraycopy} per tap
 * instead of one per output row), and {@link #im2colOverZeros} skips the padding entries for
 * callers that reuse one column buffer. Plain counted copy loops were tried and measured about
 * twice as slow as {@code System.arraycopy} here (C2 did not vectorise them).
 */
public final class Im2col {
  private Im2col() {}

  /** Fills {@code col[colOff …]} from the image at {@code src[srcOff …]}, padding included. */
  public static void im2col(ConvGeometry g, float[] src, int srcOff, float[] col, int colOff) {
    lower(g, src, srcOff, col, colOff, g.outPlane(), true);
  }

  /**
   * Like {@link #im2col} but writes only the entries that come from the image: the padding entries
   * of {@code col} must already be zero. They are when the buffer is fresh, or has only ever been
   * filled by this method or {@link #im2col} with the same geometry, because which entries are
   * padding depends on the geometry alone; a convolution then zeroes its scratch buffer once per
   * thread instead of once per image. Rows of {@code col} are {@code colLd ≥ outH·outW} floats
   * apart, so several images can be lowered side by side into one wider column matrix (image {@code
   * j} at {@code colOff = j·outH·outW}, {@code colLd = images·outH·outW}).
   */
  public static void im2colOverZeros(
      ConvGeometry g, float[] src, int srcOff, float[] col, int colOff, int colLd) {
    lower(g, src, srcOff, col, colOff, colLd, false);
  }

  private static void lower(
      ConvGeometry g,
      float[] src,
      int srcOff,
      float[] col,
      int colOff,
      int colLd,
      boolean zeroPadding) {
    int outW = g.outW();
    int outH = g.outH();
    int sw = g.strideW();
    int width = g.width();
    int plane = outH * outW;
    // Stride 1 with outW == width ("same" padding): the valid part of a tap's row is the input
    // plane shifted by one offset, so it is copied as one block across output rows; only the
    // few entries that wrapped into a neighbouring row's edge are zeroed afterwards.
    boolean flat = sw == 1 && g.strideH() == 1 && outW == width;
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int image = srcOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int oy0 = firstValidOy(g, ky);
        int oy1 = endValidOy(g, ky);
        for (int kx = 0; kx < g.kernelW(); kx++, row += colLd) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          if (oy0 >= oy1 || lo >= hi) {
            if (zeroPadding) {
              Arrays.fill(col, row, row + plane, 0f);
            }
            continue;
          }
          if (zeroPadding) {
            Arrays.fill(col, row, row + oy0 * outW + lo, 0f);
            Arrays.fill(col, row + (oy1 - 1) * outW + hi, row + plane, 0f);
          }
          if (flat) {
            int first = row + oy0 * outW + lo;
            int s = image + g.inputRow(oy0, ky) * width + g.inputCol(lo, kx);
            System.arraycopy(src, s, col, first, (oy1 - oy0 - 1) * outW + hi - lo);
            for (int oy = oy0; oy < oy1 - 1; oy++) {
              int d = row + oy * outW;
              for (int ox = hi; ox < outW; ox++) {
                col[d + ox] = 0f;
              }
              for (int ox = 0; ox < lo; ox++) {
                col[d + outW + ox] = 0f;
              }
            }
            continue;
          }
          for (int oy = oy0; oy < oy1; oy++) {
            int d = row + oy * outW;
            int s = image + g.inputRow(oy, ky) * width + g.inputCol(lo, kx);
            if (zeroPadding && oy > oy0) {
              Arrays.fill(col, d, d + lo, 0f);
            }
            if (zeroPadding && oy < oy1 - 1) {
              Arrays.fill(col, d + hi, d + outW, 0f);
            }
            if (sw == 1) {
              System.arraycopy(src, s, col, d + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++, s += sw) {
                col[d + ox] = src[s];
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
    col2imAdd(g, col, colOff, g.outPlane(), dst, dstOff);
  }

  private static void col2imAdd(
      ConvGeometry g, float[] col, int colOff, int colLd, float[] dst, int dstOff) {
    int outW = g.outW();
    int sw = g.strideW();
    int width = g.width();
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int image = dstOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int oy0 = firstValidOy(g, ky);
        int oy1 = endValidOy(g, ky);
        for (int kx = 0; kx < g.kernelW(); kx++, row += colLd) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          for (int oy = oy0; oy < oy1; oy++) {
            int d = image + g.inputRow(oy, ky) * width + g.inputCol(lo, kx);
            for (int ox = lo, s = row + oy * outW; ox < hi; ox++, d += sw) {
              dst[d] += col[s + ox];
            }
          }
        }
      }
    }
  }

  /**
   * {@link #col2imAdd} for a column buffer the caller is done with: the same sums in the same
   * order, but {@code col} is used as scratch. For stride 1 with "same" padding the entries of each
   * tap's row that came from the padding are set to zero, so the whole valid block of the row is
   * added with one {@link VectorMath#add} (adding a zero leaves a sum unchanged); other geometries
   * fall back to {@link #col2imAdd}. Rows of {@code col} are {@code colLd} floats apart, as in
   * {@link #im2colOverZeros}. A scalar element-by-element add was the largest cost of the input
   * gradient of 16-channel 28×28 layers.
   */
  public static void col2imAddDiscarding(
      ConvGeometry g, float[] col, int colOff, int colLd, float[] dst, int dstOff) {
    int outW = g.outW();
    int width = g.width();
    if (g.strideW() != 1 || g.strideH() != 1 || outW != width) {
      col2imAdd(g, col, colOff, colLd, dst, dstOff);
      return;
    }
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int image = dstOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int oy0 = firstValidOy(g, ky);
        int oy1 = endValidOy(g, ky);
        for (int kx = 0; kx < g.kernelW(); kx++, row += colLd) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          if (oy0 >= oy1 || lo >= hi) {
            continue;
          }
          for (int oy = oy0; oy < oy1 - 1; oy++) {
            int s = row + oy * outW;
            Arrays.fill(col, s + hi, s + outW + lo, 0f);
          }
          int first = row + oy0 * outW + lo;
          int d = image + g.inputRow(oy0, ky) * width + g.inputCol(lo, kx);
          VectorMath.add(dst, d, dst, d, col, first, (oy1 - oy0 - 1) * outW + hi - lo);
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
}
