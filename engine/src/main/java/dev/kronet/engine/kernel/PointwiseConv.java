package dev.kronet.engine.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * Ungrouped 1×1 stride-1 unpadded convolution on the NCHW planes as they stand: per image, {@code
 * out[f, p] = Σ_c w[f, c]·x[c, p]} is {@link FlatCorrelation}'s loop with a single tap at offset 0,
 * so nothing is copied, packed or lowered. The weight gradient {@code dw[f, c] = Σ_{n, p} dy[n, f,
 * p]·x[n, c, p]} is its weight loop with the channels in the role of taps (tap c at offset {@code
 * c·P}).
 *
 * <p>Why not the GEMM: with the few filters of a Kronecker A stage (8 filters, 48 channels, 784
 * positions per image) the per-image GEMM of the weight gradient packed a 48 × 784 panel for 0.3 M
 * multiply-adds and ran at about 30 GFLOP/s; it was 8 % of a training step of the pipeline's
 * KroneckerResNet-20.
 *
 * <p>The vector loops take whole 16-position blocks; the last {@code P mod 16} positions of each
 * plane run in scalar code. A last block of fewer than 4 filters is computed into a scratch block.
 * Forward and input gradient are split over images; the weight gradient sums per chunk of images
 * and adds the chunk partials in chunk order, so results depend only on the thread count.
 */
public final class PointwiseConv {
  private static final int F4 = FlatCorrelation.FILTERS;
  private static final int[] SAME_POSITION = {0};

  private PointwiseConv() {}

  /** {@code out [N, F, H, W] = conv(x, w) + bias} ({@code bias} may be null). */
  public static void forward(
      ConvGeometry g,
      int filters,
      int batch,
      float[] x,
      float[] w,
      float[] bias,
      float[] out,
      boolean simd) {
    int c = g.channels();
    float[] packed = pack(w, filters, c, false);
    mix(g.inPlane(), batch, x, c, packed, bias, out, filters, simd);
  }

  /** {@code dx [N, C, H, W] = ∂L/∂x = wᵀ·dout} per image; {@code dx} is overwritten. */
  public static void backwardInput(
      ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx, boolean simd) {
    int c = g.channels();
    float[] packed = pack(w, filters, c, true);
    mix(g.inPlane(), batch, dout, filters, packed, null, dx, c, simd);
  }

  /** {@code dw [F, C, 1, 1] = ∂L/∂w} (overwritten), summed over the batch in a fixed order. */
  public static void backwardWeight(
      ConvGeometry g, int filters, int batch, float[] dout, float[] x, float[] dw, boolean simd) {
    int c = g.channels();
    int p = g.inPlane();
    int fPad = roundUp(filters, F4);
    int lanes = simd ? Simd.floatLanes() : 1;
    int main = simd ? p - p % FlatCorrelation.positionAlign() : p;
    int[] channelTaps = new int[c];
    for (int ci = 0; ci < c; ci++) {
      channelTaps[ci] = ci * p;
    }
    List<float[]> partials =
        Parallel.partials(
            batch,
            minChunk(filters, c, p),
            (from, to) -> {
              // entry (f, c) of the block of filter fb at (fb·C + (f − fb)·C + c)·L = (f·C + c)·L
              float[] acc = new float[fPad * c * lanes];
              float[] rest = filters % F4 == 0 ? null : new float[F4 * p];
              for (int n = from; n < to; n++) {
                int xOff = n * c * p;
                for (int fb = 0; fb < fPad; fb += F4) {
                  float[] dy = dout;
                  int dyOff = (n * filters + fb) * p;
                  if (fb + F4 > filters) {
                    // the rows of the missing filters stay zero
                    System.arraycopy(dout, dyOff, rest, 0, (filters - fb) * p);
                    dy = rest;
                    dyOff = 0;
                  }
                  if (main > 0) {
                    for (int t0 = 0; t0 < c; t0 += 3) {
                      FlatCorrelation.weights(
                          dy,
                          dyOff,
                          p,
                          x,
                          xOff,
                          channelTaps,
                          t0,
                          Math.min(c, t0 + 3),
                          acc,
                          fb * c * lanes,
                          main,
                          simd);
                    }
                  }
                  for (int f = fb; f < Math.min(filters, fb + F4); f++) {
                    int row = dyOff + (f - fb) * p;
                    for (int ci = 0; ci < c; ci++) {
                      float sum = 0f;
                      for (int i = main; i < p; i++) {
                        sum += dy[row + i] * x[xOff + ci * p + i];
                      }
                      acc[(f * c + ci) * lanes] += sum;
                    }
                  }
                }
              }
              return acc;
            });
    Arrays.fill(dw, 0f);
    for (float[] acc : partials) {
      LaneSums.addTo(acc, lanes, dw);
    }
  }

  /**
   * {@code out[n, o, p] = Σ_i m[o, i]·in[n, i, p] + bias[o]} for every image ({@code bias} may be
   * null), {@code m} packed by {@link #pack}: the forward pass with {@code m = w}, the input
   * gradient with {@code m = wᵀ} and no bias.
   */
  private static void mix(
      int p,
      int batch,
      float[] in,
      int inChannels,
      float[] packed,
      float[] bias,
      float[] out,
      int outChannels,
      boolean simd) {
    int oPad = roundUp(outChannels, F4);
    int main = simd ? p - p % FlatCorrelation.positionAlign() : p;
    Parallel.forRange(
        batch,
        minChunk(outChannels, inChannels, p),
        (from, to) -> {
          float[] rest = outChannels % F4 == 0 ? null : new float[F4 * Math.max(main, 1)];
          for (int n = from; n < to; n++) {
            int inOff = n * inChannels * p;
            for (int ob = 0; ob < oPad; ob += F4) {
              int wOff = ob * inChannels;
              boolean partialBlock = ob + F4 > outChannels;
              int outOff = (n * outChannels + ob) * p;
              if (main > 0) {
                FlatCorrelation.forward(
                    in,
                    inOff,
                    p,
                    inChannels,
                    SAME_POSITION,
                    packed,
                    wOff,
                    partialBlock ? rest : out,
                    partialBlock ? 0 : outOff,
                    partialBlock ? main : p,
                    main,
                    simd);
                if (partialBlock) {
                  for (int o = ob; o < outChannels; o++) {
                    System.arraycopy(rest, (o - ob) * main, out, outOff + (o - ob) * p, main);
                  }
                }
              }
              for (int o = ob; o < Math.min(outChannels, ob + F4); o++) {
                int row = outOff + (o - ob) * p;
                for (int i = main; i < p; i++) {
                  float sum = 0f;
                  for (int ci = 0; ci < inChannels; ci++) {
                    sum += packed[wOff + ci * F4 + (o - ob)] * in[inOff + ci * p + i];
                  }
                  out[row + i] = sum;
                }
                if (bias != null) {
                  // while the image's rows are still in cache
                  for (int i = 0; i < p; i++) {
                    out[row + i] += bias[o];
                  }
                }
              }
            }
          }
        });
  }

  /**
   * The matrix {@code w [F, C]} (or its transpose) in blocks of 4 rows, {@code [rows/4][cols][4]},
   * zero for the padding rows: the layout {@link FlatCorrelation#forward} reads with one tap.
   */
  private static float[] pack(float[] w, int filters, int channels, boolean transpose) {
    int rows = transpose ? channels : filters;
    int cols = transpose ? filters : channels;
    float[] packed = new float[roundUp(rows, F4) * cols];
    for (int r = 0; r < rows; r++) {
      int rb = r - r % F4;
      for (int k = 0; k < cols; k++) {
        float v = transpose ? w[k * channels + r] : w[r * channels + k];
        packed[rb * cols + k * F4 + (r - rb)] = v;
      }
    }
    return packed;
  }

  private static int minChunk(int outChannels, int inChannels, int p) {
    long work = (long) outChannels * inChannels * p;
    return (int) Math.max(1, (1 << 15) / Math.max(1, work));
  }

  private static int roundUp(int v, int m) {
    return FlatLayout.roundUp(v, m);
  }
}
