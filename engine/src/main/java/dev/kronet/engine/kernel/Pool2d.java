package dev.kronet.engine.kernel;

/**
 * Pooling over independent planes: an input {@code [planes, H, W]} (for a batch, planes = N·C)
 * gives {@code [planes, outH, outW]}. Window placement comes from a {@link ConvGeometry} whose
 * {@code channels} is 1 (one plane) and whose dilation is 1. Work is split over planes, and every
 * output and every gradient plane is written by exactly one task, so results are independent of the
 * thread count.
 */
public final class Pool2d {
  private Pool2d() {}

  private static final int MIN_CHUNK_WORK = 1 << 14;

  /**
   * Max pooling with padding read as −∞: {@code argmax} receives, per output, the index inside its
   * input plane of the first maximum in row-major window order (a NaN wins, the last one, as in
   * PyTorch's CPU kernel). A window with no value above −∞ points at its first in-image element.
   */
  public static void maxForward(ConvGeometry g, int planes, float[] x, float[] out, int[] argmax) {
    Parallel.forRange(
        planes,
        minChunk(g.outPlane() * g.kernelH() * g.kernelW()),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * g.inPlane();
            int o = p * g.outPlane();
            for (int oy = 0; oy < g.outH(); oy++) {
              int y0 = Math.max(0, g.inputRow(oy, 0));
              int y1 = Math.min(g.height(), g.inputRow(oy, 0) + g.kernelH());
              for (int ox = 0; ox < g.outW(); ox++, o++) {
                int x0 = Math.max(0, g.inputCol(ox, 0));
                int x1 = Math.min(g.width(), g.inputCol(ox, 0) + g.kernelW());
                int best = y0 * g.width() + x0;
                float max = Float.NEGATIVE_INFINITY;
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    float v = x[in + iy * g.width() + ix];
                    if (v > max || Float.isNaN(v)) {
                      max = v;
                      best = iy * g.width() + ix;
                    }
                  }
                }
                out[o] = max;
                argmax[o] = best;
              }
            }
          }
        });
  }

  /** {@code dx[argmax] += dout} per plane; {@code dx} holds zeros (or a sum to add to) on entry. */
  public static void maxBackward(
      ConvGeometry g, int planes, float[] dout, int[] argmax, float[] dx) {
    Parallel.forRange(
        planes,
        minChunk(g.outPlane()),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * g.inPlane();
            for (int o = p * g.outPlane(); o < (p + 1) * g.outPlane(); o++) {
              dx[in + argmax[o]] += dout[o];
            }
          }
        });
  }

  /**
   * Average pooling with zero padding counted in the divisor ({@code count_include_pad=true}):
   * every window divides by {@code kh·kw}.
   */
  public static void avgForward(ConvGeometry g, int planes, float[] x, float[] out) {
    float scale = 1f / (g.kernelH() * g.kernelW());
    Parallel.forRange(
        planes,
        minChunk(g.outPlane() * g.kernelH() * g.kernelW()),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * g.inPlane();
            int o = p * g.outPlane();
            for (int oy = 0; oy < g.outH(); oy++) {
              int y0 = Math.max(0, g.inputRow(oy, 0));
              int y1 = Math.min(g.height(), g.inputRow(oy, 0) + g.kernelH());
              for (int ox = 0; ox < g.outW(); ox++, o++) {
                int x0 = Math.max(0, g.inputCol(ox, 0));
                int x1 = Math.min(g.width(), g.inputCol(ox, 0) + g.kernelW());
                float sum = 0f;
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    sum += x[in + iy * g.width() + ix];
                  }
                }
                out[o] = sum * scale;
              }
            }
          }
        });
  }

  /** Adjoint of {@link #avgForward}: each input pixel gathers {@code dout / (kh·kw)}. */
  public static void avgBackward(ConvGeometry g, int planes, float[] dout, float[] dx) {
    float scale = 1f / (g.kernelH() * g.kernelW());
    Parallel.forRange(
        planes,
        minChunk(g.outPlane() * g.kernelH() * g.kernelW()),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * g.inPlane();
            int o = p * g.outPlane();
            for (int oy = 0; oy < g.outH(); oy++) {
              int y0 = Math.max(0, g.inputRow(oy, 0));
              int y1 = Math.min(g.height(), g.inputRow(oy, 0) + g.kernelH());
              for (int ox = 0; ox < g.outW(); ox++, o++) {
                int x0 = Math.max(0, g.inputCol(ox, 0));
                int x1 = Math.min(g.width(), g.inputCol(ox, 0) + g.kernelW());
                float share = dout[o] * scale;
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    dx[in + iy * g.width() + ix] += share;
                  }
                }
              }
            }
          }
        });
  }

  /**
   * First input index of adaptive window {@code i} of {@code out} over {@code in}: floor(i·in/out).
   */
  public static int adaptiveStart(int i, int in, int out) {
    return (int) ((long) i * in / out);
  }

  /** One past the last input index of adaptive window {@code i}: ceil((i+1)·in/out). */
  public static int adaptiveEnd(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
  }

  /**
   * Adaptive average pooling (PyTorch's window rule, {@link #adaptiveStart}/{@link #adaptiveEnd}):
   * each output is the mean of its window, summed in double.
   */
  public static void adaptiveAvgForward(
      int planes, int height, int width, int outH, int outW, float[] x, float[] out) {
    Parallel.forRange(
        planes,
        minChunk(height * width),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * height * width;
            int o = p * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
              int y0 = adaptiveStart(oy, height, outH);
              int y1 = adaptiveEnd(oy, height, outH);
              for (int ox = 0; ox < outW; ox++, o++) {
                int x0 = adaptiveStart(ox, width, outW);
                int x1 = adaptiveEnd(ox, width, outW);
                double sum = 0;
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    sum += x[in + iy * width + ix];
                  }
                }
                out[o] = (float) (sum / ((y1 - y0) * (x1 - x0)));
              }
            }
          }
        });
  }

  /** Adjoint of {@link #adaptiveAvgForward}; {@code dx} holds zeros on entry. */
  public static void adaptiveAvgBackward(
      int planes, int height, int width, int outH, int outW, float[] dout, float[] dx) {
    Parallel.forRange(
        planes,
        minChunk(height * width),
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * height * width;
            int o = p * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
              int y0 = adaptiveStart(oy, height, outH);
              int y1 = adaptiveEnd(oy, height, outH);
              for (int ox = 0; ox < outW; ox++, o++) {
                int x0 = adaptiveStart(ox, width, outW);
                int x1 = adaptiveEnd(ox, width, outW);
                float share = dout[o] / ((y1 - y0) * (x1 - x0));
                for (int iy = y0; iy < y1; iy++) {
                  for (int ix = x0; ix < x1; ix++) {
                    dx[in + iy * width + ix] += share;
                  }
                }
              }
            }
          }
        });
  }

  private static int minChunk(int workPerPlane) {
    return Math.max(1, MIN_CHUNK_WORK / Math.max(1, workPerPlane));
  }
}
