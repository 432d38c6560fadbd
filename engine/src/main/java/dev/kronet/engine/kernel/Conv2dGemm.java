package dev.kronet.engine.kernel;

import java.util.List;

/**
 * Grouped 2-d convolution lowered to matrix products: for each image and group, im2col turns the
 * group's input channels into a {@code K × P} column matrix ({@code K = Cg·kh·kw}, {@code P =
 * outH·outW}) and {@link Sgemm} does the rest.
 *
 * <p>Dimension letters: N batch, G groups, Cg = C/G input and Fg = F/G output channels per group. x
 * is {@code [N, C, H, W]}, w is {@code [F, Cg, kh, kw]} (row-major, read as G blocks of {@code Fg ×
 * K}), out is {@code [N, F, outH, outW]}; {@code g.channels()} is Cg. Per image and group:
 *
 * <pre>
 *   forward        out_g = W_g · col_g                 (Fg × P)
 *   input grad     dx_g  = col2im(W_gᵀ · dout_g)        (K × P, folded back onto Cg × H × W)
 *   weight grad    dW_g += dout_g · col_gᵀ              (Fg × K)
 * </pre>
 *
 * Work is split over the batch; each chunk owns one scratch column buffer, zero when allocated, so
 * im2col only writes the entries that come from the image ({@link Im2col#im2colOverZeros}: the
 * padding entries are the same for every image). Small output planes are lowered several images
 * side by side ({@code col} of {@code K × images·P}, {@code dout} gathered into {@code Fg ×
 * images·P}) so that one GEMM covers at least {@value #MIN_GEMM_COLUMNS} columns. The weight
 * gradient is summed per chunk and the chunk partials are added in chunk order, so results depend
 * only on the thread count, never on scheduling.
 */
public final class Conv2dGemm {
  private Conv2dGemm() {}

  /** Multiply-adds a chunk should hold before another thread is worth waking. */
  private static final int MIN_CHUNK_WORK = 1 << 15;

  /**
   * Columns one GEMM should have at least: images are lowered side by side until their output
   * planes add up to this many. With 7×7 outputs (P = 49) a GEMM per image re-packed the whole
   * weight matrix for 49 columns, of which 64 were computed (two 32-wide panels).
   */
  private static final int MIN_GEMM_COLUMNS = 256;

  /** {@code out = conv(x, w) + bias}; {@code bias} ({@code [F]}) may be null. */
  public static void forward(
      ConvGeometry g,
      int groups,
      int fg,
      int batch,
      float[] x,
      float[] w,
      float[] bias,
      float[] out) {
    int k = g.colRows();
    int p = g.outPlane();
    boolean identity = g.im2colIsIdentity();
    int nb = imagesPerGemm(g);
    int ld = nb * p;
    Parallel.forRange(
        batch,
        minChunk(g, groups, fg),
        (from, to) -> {
          float[] col = identity ? null : new float[k * ld];
          float[] block = nb > 1 ? new float[fg * ld] : null;
          for (int n0 = from; n0 < to; n0 += nb) {
            int images = Math.min(nb, to - n0);
            for (int gi = 0; gi < groups; gi++) {
              int oOff = outputOffset(g, groups, fg, n0, gi);
              int wOff = gi * fg * k;
              if (identity) {
                int xOff = inputOffset(g, groups, n0, gi);
                Sgemm.sgemm(false, false, fg, p, k, w, wOff, k, x, xOff, p, out, oOff, p, false);
              } else if (nb == 1) {
                lower(g, groups, x, n0, 1, gi, col, ld);
                Sgemm.sgemm(false, false, fg, p, k, w, wOff, k, col, 0, p, out, oOff, p, false);
              } else {
                lower(g, groups, x, n0, images, gi, col, ld);
                Sgemm.sgemm(
                    false, false, fg, images * p, k, w, wOff, k, col, 0, ld, block, 0, ld, false);
                scatterBlock(g, groups, fg, block, ld, n0, images, gi, out);
              }
              if (bias != null) {
                addBias(g, groups, fg, bias, n0, images, gi, out);
              }
            }
          }
        });
  }

  /** {@code dx = ∂L/∂x} given {@code dout}; {@code dx} must hold zeros on entry. */
  public static void backwardInput(
      ConvGeometry g, int groups, int fg, int batch, float[] dout, float[] w, float[] dx) {
    int k = g.colRows();
    int p = g.outPlane();
    boolean identity = g.im2colIsIdentity();
    int nb = imagesPerGemm(g);
    int ld = nb * p;
    Parallel.forRange(
        batch,
        minChunk(g, groups, fg),
        (from, to) -> {
          float[] dcol = identity ? null : new float[k * ld];
          float[] block = nb > 1 ? new float[fg * ld] : null;
          for (int n0 = from; n0 < to; n0 += nb) {
            int images = Math.min(nb, to - n0);
            for (int gi = 0; gi < groups; gi++) {
              int xOff = inputOffset(g, groups, n0, gi);
              int oOff = outputOffset(g, groups, fg, n0, gi);
              int wOff = gi * fg * k;
              if (identity) {
                Sgemm.sgemm(true, false, k, p, fg, w, wOff, k, dout, oOff, p, dx, xOff, p, false);
                continue;
              }
              float[] b = dout;
              int bOff = oOff;
              if (nb > 1) {
                gatherBlock(g, groups, fg, dout, n0, images, gi, block, ld);
                b = block;
                bOff = 0;
              }
              Sgemm.sgemm(
                  true, false, k, images * p, fg, w, wOff, k, b, bOff, ld, dcol, 0, ld, false);
              for (int j = 0; j < images; j++) {
                Im2col.col2imAddDiscarding(
                    g, dcol, j * p, ld, dx, inputOffset(g, groups, n0 + j, gi));
              }
            }
          }
        });
  }

  /** {@code dw = ∂L/∂w} (overwritten), summed over the batch in a fixed order. */
  public static void backwardWeight(
      ConvGeometry g, int groups, int fg, int batch, float[] dout, float[] x, float[] dw) {
    int k = g.colRows();
    int p = g.outPlane();
    boolean identity = g.im2colIsIdentity();
    int nb = imagesPerGemm(g);
    int ld = nb * p;
    List<float[]> partials =
        Parallel.partials(
            batch,
            minChunk(g, groups, fg),
            (from, to) -> {
              float[] acc = new float[dw.length];
              float[] col = identity ? null : new float[k * ld];
              float[] block = nb > 1 ? new float[fg * ld] : null;
              for (int n0 = from; n0 < to; n0 += nb) {
                int images = Math.min(nb, to - n0);
                for (int gi = 0; gi < groups; gi++) {
                  int oOff = outputOffset(g, groups, fg, n0, gi);
                  int accOff = gi * fg * k;
                  if (identity) {
                    int xOff = inputOffset(g, groups, n0, gi);
                    Sgemm.sgemm(
                        false, true, fg, k, p, dout, oOff, p, x, xOff, p, acc, accOff, k, true);
                    continue;
                  }
                  lower(g, groups, x, n0, images, gi, col, ld);
                  float[] a = dout;
                  int aOff = oOff;
                  if (nb > 1) {
                    gatherBlock(g, groups, fg, dout, n0, images, gi, block, ld);
                    a = block;
                    aOff = 0;
                  }
                  Sgemm.sgemm(
                      false,
                      true,
                      fg,
                      k,
                      images * p,
                      a,
                      aOff,
                      ld,
                      col,
                      0,
                      ld,
                      acc,
                      accOff,
                      k,
                      true);
                }
              }
              return acc;
            });
    java.util.Arrays.fill(dw, 0f);
    for (float[] acc : partials) {
      LaneSums.addTo(acc, 1, dw);
    }
  }

  /**
   * {@code db[f] = Σ_{n, position} dout[n, f, position]} for an output {@code [N, F, plane]},
   * summed in double in a fixed order (the bias gradient of any convolution).
   */
  public static void biasGradient(float[] dout, int batch, int filters, int plane, float[] db) {
    for (int f = 0; f < filters; f++) {
      double sum = 0;
      for (int n = 0; n < batch; n++) {
        int row = (n * filters + f) * plane;
        for (int i = 0; i < plane; i++) {
          sum += dout[row + i];
        }
      }
      db[f] = (float) sum;
    }
  }

  private static int inputOffset(ConvGeometry g, int groups, int n, int gi) {
    return (n * groups + gi) * g.channels() * g.inPlane();
  }

  private static int outputOffset(ConvGeometry g, int groups, int fg, int n, int gi) {
    return (n * groups + gi) * fg * g.outPlane();
  }

  /** Images per GEMM: 1 for the identity lowering, else enough for MIN_GEMM_COLUMNS columns. */
  private static int imagesPerGemm(ConvGeometry g) {
    return g.im2colIsIdentity()
        ? 1
        : Math.max(1, GemmBlocking.ceilDiv(MIN_GEMM_COLUMNS, g.outPlane()));
  }

  /**
   * Lowers images {@code n0 … n0+images−1} of group gi side by side into {@code col} (row stride
   * ld).
   */
  private static void lower(
      ConvGeometry g, int groups, float[] x, int n0, int images, int gi, float[] col, int ld) {
    for (int j = 0; j < images; j++) {
      Im2col.im2colOverZeros(g, x, inputOffset(g, groups, n0 + j, gi), col, j * g.outPlane(), ld);
    }
  }

  /**
   * Copies group gi of images n0… of an {@code [N, F, P]} tensor into the {@code Fg × ld} block.
   */
  private static void gatherBlock(
      ConvGeometry g,
      int groups,
      int fg,
      float[] src,
      int n0,
      int images,
      int gi,
      float[] block,
      int ld) {
    int p = g.outPlane();
    for (int j = 0; j < images; j++) {
      int o = outputOffset(g, groups, fg, n0 + j, gi);
      for (int f = 0; f < fg; f++) {
        System.arraycopy(src, o + f * p, block, f * ld + j * p, p);
      }
    }
  }

  /** The inverse of {@link #gatherBlock}: the block's columns back into {@code [N, F, P]}. */
  private static void scatterBlock(
      ConvGeometry g,
      int groups,
      int fg,
      float[] block,
      int ld,
      int n0,
      int images,
      int gi,
      float[] dst) {
    int p = g.outPlane();
    for (int j = 0; j < images; j++) {
      int o = outputOffset(g, groups, fg, n0 + j, gi);
      for (int f = 0; f < fg; f++) {
        System.arraycopy(block, f * ld + j * p, dst, o + f * p, p);
      }
    }
  }

  private static void addBias(
      ConvGeometry g, int groups, int fg, float[] bias, int n0, int images, int gi, float[] out) {
    int p = g.outPlane();
    for (int j = 0; j < images; j++) {
      int o = outputOffset(g, groups, fg, n0 + j, gi);
      for (int f = 0; f < fg; f++) {
        float bf = bias[gi * fg + f];
        int row = o + f * p;
        for (int i = 0; i < p; i++) {
          out[row + i] += bf;
        }
      }
    }
  }

  private static int minChunk(ConvGeometry g, int groups, int fg) {
    long work = (long) groups * fg * g.colRows() * g.outPlane();
    return (int) Math.max(1, MIN_CHUNK_WORK / Math.max(1, work));
  }
}
