package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the contiguous layouts the blocked SGEMMs read. Packing is
 * where the four transpose cases are resolved: after it, every kernel reads unit-stride, constant
 * offset data whatever the caller's layout, and C2 can drop the bounds checks in the inner loops.
 */
final class GemmPacking {
  private GemmPacking() {}

  /**
   * Packs op(A) rows {@code [i0, i0 + rows)} × columns {@code [p0, p0 + kc)} as one micro-panel of
   * height {@code mr}: element (r, p) goes to {@code dst[dOff + p·mr + r]}, so that one k step of
   * the micro-kernel reads {@code mr} consecutive floats. Rows {@code rows..mr-1} are zero.
   */
  static void packA(GemmArgs g, int i0, int rows, int p0, int kc, int mr, float[] dst, int dOff) {
    if (g.transA()) {
      for (int p = 0; p < kc; p++) {
        int src = g.aOff() + (p0 + p) * g.lda() + i0;
        int d = dOff + p * mr;
        System.arraycopy(g.a(), src, dst, d, rows);
        if (rows < mr) {
          Arrays.fill(dst, d + rows, d + mr, 0f);
        }
      }
    } else {
      float[] a = g.a();
      for (int r = 0; r < rows; r++) {
        int src = g.aOff() + (i0 + r) * g.lda() + p0;
        for (int p = 0; p < kc; p++) {
          dst[dOff + p * mr + r] = a[src + p];
        }
      }
      for (int r = rows; r < mr; r++) {
        for (int p = 0; p < kc; p++) {
          dst[dOff + p * mr + r] = 0f;
        }
      }
    }
  }

  /**
   * Packs op(B) rows {@code [p0, p0 + kc)} × columns {@code [j0, j0 + cols)} as panels of width
   * {@code nr}: panel q starts at {@code dOff + q·kc·nr} and holds element (p, jj) at {@code p·nr +
   * jj}. Columns past {@code cols} in the last panel are zero.
   */
  static void packB(GemmArgs g, int p0, int kc, int j0, int cols, int nr, float[] dst, int dOff) {
    float[] b = g.b();
    int panels = (cols + nr - 1) / nr;
    int lastWidth = cols - (panels - 1) * nr;
    if (g.transB()) {
      for (int q = 0; q < panels; q++) {
        int w = q == panels - 1 ? lastWidth : nr;
        int base = dOff + q * kc * nr;
        for (int jj = 0; jj < w; jj++) {
          int src = g.bOff() + (j0 + q * nr + jj) * g.ldb() + p0;
          for (int p = 0; p < kc; p++) {
            dst[base + p * nr + jj] = b[src + p];
          }
        }
      }
    } else {
      // Row by row: each stored row of B is read once, front to back, which the hardware
      // prefetcher follows; panel by panel (128-byte pieces of every row) measured far slower.
      for (int p = 0; p < kc; p++) {
        int src = g.bOff() + (p0 + p) * g.ldb() + j0;
        int d = dOff + p * nr;
        for (int q = 0; q < panels - 1; q++) {
          System.arraycopy(b, src + q * nr, dst, d + q * kc * nr, nr);
        }
        System.arraycopy(b, src + (panels - 1) * nr, dst, d + (panels - 1) * kc * nr, lastWidth);
      }
    }
    if (lastWidth < nr) {
      int base = dOff + (panels - 1) * kc * nr;
      for (int p = 0; p < kc; p++) {
        Arrays.fill(dst, base + p * nr + lastWidth, base + (p + 1) * nr, 0f);
      }
    }
  }

  /**
   * Packs op(B) rows {@code [p0, p0 + kc)} × columns {@code [j0, j0 + cols)} row-major into {@code
   * dst} (element (p, j) at {@code p·cols + j}), for the scalar kernel's unit-stride inner loop.
   */
  static void packBRows(GemmArgs g, int p0, int kc, int j0, int cols, float[] dst) {
    float[] b = g.b();
    if (g.transB()) {
      for (int j = 0; j < cols; j++) {
        int src = g.bOff() + (j0 + j) * g.ldb() + p0;
        for (int p = 0; p < kc; p++) {
          dst[p * cols + j] = b[src + p];
        }
      }
    } else {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, g.bOff() + (p0 + p) * g.ldb() + j0, dst, p * cols, cols);
      }
    }
  }
}
