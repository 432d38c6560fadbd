package dev.kronet.engine.kernel;

/**
 * The two inner loops of {@link DirectConv}, on planes stored flat: a zero-padded {@code Hp × Wp}
 * plane is one run of floats, so the kernel tap {@code (ky, kx)} of a stride-1 convolution is a
 * fixed offset {@code ky·dH·Wp + kx·dW} from the output position, and a whole plane is one long
 * unit-stride loop instead of short rows. Positions whose column falls in the last {@code Wp − Wo}
 * of a row wrap into the next row; they are computed and thrown away by the caller.
 *
 * <p>Both loops work on {@value #FILTERS} filters at once. These are the scalar twins; {@link
 * FlatCorrelationSimd} runs the same loops on the Vector API when {@link Simd#ENABLED}.
 */
public final class FlatCorrelation {
  /** Filters per call; weights are packed in blocks of this many. */
  public static final int FILTERS = 4;

  private FlatCorrelation() {}

  /**
   * Positions of every call are a multiple of this (the SIMD loops take whole vectors; their
   * callers round up and provide the slack).
   */
  public static int positionAlign() {
    return Math.max(16, Simd.floatLanes());
  }

  /**
   * {@code out[outOff + f·outStride + p] = Σ_{c, t} w[wOff + (c·T + t)·4 + f] · in[inOff + c·plane
   * + p + taps[t]]} for {@code f < 4}, {@code p < positions}, T = {@code taps.length}.
   */
  public static void forward(
      float[] in,
      int inOff,
      int plane,
      int channels,
      int[] taps,
      float[] w,
      int wOff,
      float[] out,
      int outOff,
      int outStride,
      int positions,
      boolean simd) {
    if (simd) {
      FlatCorrelationSimd.forward(
          in, inOff, plane, channels, taps, w, wOff, out, outOff, outStride, positions);
      return;
    }
    int t = taps.length;
    for (int f = 0; f < FILTERS; f++) {
      int row = outOff + f * outStride;
      for (int p = 0; p < positions; p++) {
        float sum = 0f;
        for (int c = 0; c < channels; c++) {
          int base = inOff + c * plane + p;
          int wi = wOff + c * t * FILTERS + f;
          for (int k = 0; k < t; k++) {
            sum += w[wi + k * FILTERS] * in[base + taps[k]];
          }
        }
        out[row + p] = sum;
      }
    }
  }

  /**
   * Accumulates the weight gradient of 4 filters, one input channel and taps {@code [t0, t1)} (at
   * most 3) over {@code positions} positions: {@code lanes[(f·T + t)·L + l] += Σ_{p ≡ l mod L}
   * dy[dyOff + f·dyStride + p] · x[xOff + p + taps[t]]}, L = {@code laneCount} (1 for the scalar
   * twin). The caller sums the L partial sums of each entry once, in lane order.
   */
  public static void weights(
      float[] dy,
      int dyOff,
      int dyStride,
      float[] x,
      int xOff,
      int[] taps,
      int t0,
      int t1,
      float[] lanes,
      int lanesOff,
      int positions,
      boolean simd) {
    if (simd) {
      FlatCorrelationSimd.weights(
          dy, dyOff, dyStride, x, xOff, taps, t0, t1, lanes, lanesOff, positions);
      return;
    }
    int t = taps.length;
    for (int f = 0; f < FILTERS; f++) {
      int row = dyOff + f * dyStride;
      for (int k = t0; k < t1; k++) {
        int src = xOff + taps[k];
        float sum = 0f;
        for (int p = 0; p < positions; p++) {
          sum += dy[row + p] * x[src + p];
        }
        lanes[lanesOff + f * t + k] += sum;
      }
    }
  }
}
