package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * Direct depthwise convolution ({@code groups == C}): output channel {@code f} of {@code F = C·m}
 * filters one input channel, {@code c = f / m}, with its own {@code kh × kw} kernel. There is no
 * reduction over channels, so im2col + GEMM would be a tall, skinny product that wastes most of its
 * work on copies; a direct loop is both simpler and faster here.
 *
 * <p>Dimension letters: N batch, C input channels, m channel multiplier, F = C·m output channels; x
 * is {@code [N, C, H, W]}, w is {@code [F, 1, kh, kw]}, out is {@code [N, F, outH, outW]}, all
 * row-major. Every pass is organised as row segments: for one output row, kernel tap and the range
 * of output columns whose input column is inside the image, the work is an axpy or a dot over that
 * segment (unit stride on the output side; stride {@code strideW} on the input side). With {@code
 * strideW == 1} both sides are unit-stride and {@code simd} uses the Vector API.
 */
public final class DepthwiseConv {
  private DepthwiseConv() {}

  /** Roughly how many multiply-adds a parallel chunk should hold before splitting pays. */
  private static final int MIN_CHUNK_WORK = 1 << 14;

  /** {@code out = bias + depthwise(x, w)} for the whole batch; {@code bias} may be null. */
  public static void forward(
      ConvGeometry g,
      int multiplier,
      int batch,
      float[] x,
      float[] w,
      float[] bias,
      float[] out,
      boolean simd) {
    int f = g.channels() * multiplier;
    int taps = g.kernelH() * g.kernelW();
    Parallel.forRange(
        batch * f,
        minChunk(g.outPlane() * taps),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int n = p / f;
            int filter = p % f;
            int c = filter / multiplier;
            forwardPlane(
                g,
                x,
                (n * g.channels() + c) * g.inPlane(),
                w,
                filter * taps,
                bias == null ? 0f : bias[filter],
                out,
                p * g.outPlane(),
                simd);
          }
        });
  }

  /** {@code dx += ∂L/∂x} given {@code dout = ∂L/∂out}; each input plane is written by one task. */
  public static void backwardInput(
      ConvGeometry g,
      int multiplier,
      int batch,
      float[] dout,
      float[] w,
      float[] dx,
      boolean simd) {
    int c = g.channels();
    int taps = g.kernelH() * g.kernelW();
    Parallel.forRange(
        batch * c,
        minChunk(multiplier * g.outPlane() * taps),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int n = p / c;
            int channel = p % c;
            for (int j = 0; j < multiplier; j++) {
              int filter = channel * multiplier + j;
              backwardInputPlane(
                  g,
                  dout,
                  (n * c * multiplier + filter) * g.outPlane(),
                  w,
                  filter * taps,
                  dx,
                  p * g.inPlane(),
                  simd);
            }
          }
        });
  }

  /**
   * {@code dw = ∂L/∂w} (overwritten). Parallel over filters, each summing its batch in order with
   * double accumulators, so the result does not depend on the thread count.
   */
  public static void backwardWeight(
      ConvGeometry g,
      int multiplier,
      int batch,
      float[] dout,
      float[] x,
      float[] dw,
      boolean simd) {
    int c = g.channels();
    int f = c * multiplier;
    int taps = g.kernelH() * g.kernelW();
    Parallel.forRange(
        f,
        minChunk(batch * g.outPlane() * taps),
        (from, to) -> {
          double[] acc = new double[taps];
          for (int filter = from; filter < to; filter++) {
            Arrays.fill(acc, 0);
            for (int n = 0; n < batch; n++) {
              backwardWeightPlane(
                  g,
                  dout,
                  (n * f + filter) * g.outPlane(),
                  x,
                  (n * c + filter / multiplier) * g.inPlane(),
                  acc,
                  simd);
            }
            for (int t = 0; t < taps; t++) {
              dw[filter * taps + t] = (float) acc[t];
            }
          }
        });
  }

  private static int minChunk(int workPerItem) {
    return Math.max(1, MIN_CHUNK_WORK / Math.max(1, workPerItem));
  }

  /** One output plane: {@code out = bias + Σ_taps w[tap]·shifted(x plane)}. */
  static void forwardPlane(
      ConvGeometry g,
      float[] x,
      int xOff,
      float[] w,
      int wOff,
      float bias,
      float[] out,
      int outOff,
      boolean simd) {
    int outW = g.outW();
    Arrays.fill(out, outOff, outOff + g.outPlane(), bias);
    for (int oy = 0; oy < g.outH(); oy++) {
      int outRow = outOff + oy * outW;
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int iy = g.inputRow(oy, ky);
        if (iy < 0 || iy >= g.height()) {
          continue;
        }
        int inRow = xOff + iy * g.width();
        for (int kx = 0; kx < g.kernelW(); kx++) {
          int lo = g.firstValidOx(kx);
          int len = g.endValidOx(kx) - lo;
          if (len > 0) {
            axpy(
                len,
                w[wOff + ky * g.kernelW() + kx],
                x,
                inRow + g.inputCol(lo, kx),
                g.strideW(),
                out,
                outRow + lo,
                1,
                simd);
          }
        }
      }
    }
  }

  /** One (output plane → input plane) pair: {@code dx plane += Σ_taps w[tap]·scatter(dout)}. */
  static void backwardInputPlane(
      ConvGeometry g,
      float[] dout,
      int doutOff,
      float[] w,
      int wOff,
      float[] dx,
      int dxOff,
      boolean simd) {
    int outW = g.outW();
    for (int oy = 0; oy < g.outH(); oy++) {
      int outRow = doutOff + oy * outW;
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int iy = g.inputRow(oy, ky);
        if (iy < 0 || iy >= g.height()) {
          continue;
        }
        int inRow = dxOff + iy * g.width();
        for (int kx = 0; kx < g.kernelW(); kx++) {
          int lo = g.firstValidOx(kx);
          int len = g.endValidOx(kx) - lo;
          if (len > 0) {
            axpy(
                len,
                w[wOff + ky * g.kernelW() + kx],
                dout,
                outRow + lo,
                1,
                dx,
                inRow + g.inputCol(lo, kx),
                g.strideW(),
                simd);
          }
        }
      }
    }
  }

  /** One (output plane, input plane) pair: {@code acc[tap] += Σ dout·shifted(x)}. */
  static void backwardWeightPlane(
      ConvGeometry g, float[] dout, int doutOff, float[] x, int xOff, double[] acc, boolean simd) {
    int outW = g.outW();
    for (int oy = 0; oy < g.outH(); oy++) {
      int outRow = doutOff + oy * outW;
      for (int ky = 0; ky < g.kernelH(); ky++) {
        int iy = g.inputRow(oy, ky);
        if (iy < 0 || iy >= g.height()) {
          continue;
        }
        int inRow = xOff + iy * g.width();
        for (int kx = 0; kx < g.kernelW(); kx++) {
          int lo = g.firstValidOx(kx);
          int len = g.endValidOx(kx) - lo;
          if (len > 0) {
            acc[ky * g.kernelW() + kx] +=
                dot(len, dout, outRow + lo, 1, x, inRow + g.inputCol(lo, kx), g.strideW(), simd);
          }
        }
      }
    }
  }

  /** {@code y[i·ys] += a·x[i·xs]}; the Vector API path when both strides are 1. */
  static void axpy(
      int n, float a, float[] x, int xOff, int xs, float[] y, int yOff, int ys, boolean simd) {
    if (simd && xs == 1 && ys == 1) {
      DepthwiseRowsSimd.axpy(n, a, x, xOff, y, yOff);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yOff + i * ys] += a * x[xOff + i * xs];
    }
  }

  /** {@code Σ x[i·xs]·y[i·ys]}; the Vector API path when both strides are 1. */
  static float dot(int n, float[] x, int xOff, int xs, float[] y, int yOff, int ys, boolean simd) {
    if (simd && xs == 1 && ys == 1) {
      return DepthwiseRowsSimd.dot(n, x, xOff, y, yOff);
    }
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      sum += x[xOff + i * xs] * y[yOff + i * ys];
    }
    return sum;
  }
}
