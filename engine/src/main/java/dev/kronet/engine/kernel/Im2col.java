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
 */
public final class Im2col {
  private Im2col() {}

  /** Fills {@code col[colOff …]} from the image at {@code src[srcOff …]}. */
  public static void im2col(ConvGeometry g, float[] src, int srcOff, float[] col, int colOff) {
    int outW = g.outW();
    int sw = g.strideW();
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = srcOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        for (int kx = 0; kx < g.kernelW(); kx++) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          for (int oy = 0; oy < g.outH(); oy++, row += outW) {
            int iy = g.inputRow(oy, ky);
            if (iy < 0 || iy >= g.height() || lo >= hi) {
              Arrays.fill(col, row, row + outW, 0f);
              continue;
            }
            Arrays.fill(col, row, row + lo, 0f);
            Arrays.fill(col, row + hi, row + outW, 0f);
            int s = plane + iy * g.width() + g.inputCol(lo, kx);
            if (sw == 1) {
              System.arraycopy(src, s, col, row + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++, s += sw) {
                col[row + ox] = src[s];
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
    int row = colOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = dstOff + c * g.inPlane();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        for (int kx = 0; kx < g.kernelW(); kx++) {
          int lo = g.firstValidOx(kx);
          int hi = g.endValidOx(kx);
          for (int oy = 0; oy < g.outH(); oy++, row += outW) {
            int iy = g.inputRow(oy, ky);
            if (iy < 0 || iy >= g.height() || lo >= hi) {
              continue;
            }
            int d = plane + iy * g.width() + g.inputCol(lo, kx);
            for (int ox = lo; ox < hi; ox++, d += sw) {
              dst[d] += col[row + ox];
            }
          }
        }
      }
    }
  }
}
