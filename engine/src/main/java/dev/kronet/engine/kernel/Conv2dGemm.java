package dev.kronet.engine.kernel;

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
 * padding entries are the same for every image). The weight gradient is summed per chunk and the
 * chunk partials are added in chunk order, so results depend only on the thread count, never on
 * scheduling.
 */
public final class Conv2dGemm {
  private Conv2dGemm() {}

  /** Multiply-adds a chunk should hold before another thread is worth waking. */
  private static final int MIN_CHUNK_WORK = 1 << 15;

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
    Parallel.forRange(
        batch,
        minChunk(g, groups, fg),
        (from, to) -> {
          float[] col = identity ? null : new float[k * p];
          for (int n = from; n < to; n++) {
            for (int gi = 0; gi < groups; gi++) {
              int xOff = inputOffset(g, groups, n, gi);
              int oOff = (n * groups + gi) * fg * p;
              float[] b = identity ? x : col;
              int bOff = identity ? xOff : 0;
              if (!identity) {
                Im2col.im2colOverZeros(g, x, xOff, col, 0);
              }
              Sgemm.sgemm(
                  false, false, fg, p, k, w, gi * fg * k, k, b, bOff, p, out, oOff, p, false);
              if (bias != null) {
                for (int f = 0; f < fg; f++) {
                  float bf = bias[gi * fg + f];
                  int row = oOff + f * p;
                  for (int i = 0; i < p; i++) {
                    out[row + i] += bf;
                  }
                }
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
    Parallel.forRange(
        batch,
        minChunk(g, groups, fg),
        (from, to) -> {
          float[] dcol = identity ? null : new float[k * p];
          for (int n = from; n < to; n++) {
            for (int gi = 0; gi < groups; gi++) {
              int xOff = inputOffset(g, groups, n, gi);
              int oOff = (n * groups + gi) * fg * p;
              if (identity) {
                Sgemm.sgemm(
                    true, false, k, p, fg, w, gi * fg * k, k, dout, oOff, p, dx, xOff, p, false);
              } else {
                Sgemm.sgemm(
                    true, false, k, p, fg, w, gi * fg * k, k, dout, oOff, p, dcol, 0, p, false);
                Im2col.col2imAddDiscarding(g, dcol, 0, dx, xOff);
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
    int minChunk = minChunk(g, groups, fg);
    int chunks = Parallel.chunkCount(batch, minChunk);
    float[][] partial = new float[chunks][];
    Parallel.forRange(
        batch,
        minChunk,
        (from, to) -> {
          float[] acc = new float[dw.length];
          float[] col = identity ? null : new float[k * p];
          for (int n = from; n < to; n++) {
            for (int gi = 0; gi < groups; gi++) {
              int xOff = inputOffset(g, groups, n, gi);
              int oOff = (n * groups + gi) * fg * p;
              float[] b = identity ? x : col;
              int bOff = identity ? xOff : 0;
              if (!identity) {
                Im2col.im2colOverZeros(g, x, xOff, col, 0);
              }
              Sgemm.sgemm(
                  false, true, fg, k, p, dout, oOff, p, b, bOff, p, acc, gi * fg * k, k, true);
            }
          }
          partial[chunkIndex(batch, chunks, from)] = acc;
        });
    java.util.Arrays.fill(dw, 0f);
    for (float[] acc : partial) {
      if (acc != null) {
        for (int i = 0; i < dw.length; i++) {
          dw[i] += acc[i];
        }
      }
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

  private static int minChunk(ConvGeometry g, int groups, int fg) {
    long work = (long) groups * fg * g.colRows() * g.outPlane();
    return (int) Math.max(1, MIN_CHUNK_WORK / Math.max(1, work));
  }

  // forRange runs chunk c over [chunkStart(c), chunkStart(c+1)); inline it runs [0, n) as chunk 0.
  private static int chunkIndex(int n, int chunks, int from) {
    for (int c = 0; c < chunks; c++) {
      if (Parallel.chunkStart(n, chunks, c) == from) {
        return c;
      }
    }
    throw new IllegalStateException("no chunk starts at " + from + " of " + n);
  }
}
