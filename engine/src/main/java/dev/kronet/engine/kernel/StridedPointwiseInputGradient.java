package dev.kronet.engine.kernel;

/**
 * The input gradient of an unpadded 1×1 convolution with a stride (ResNet's downsampling shortcuts)
 * with the input channels in the vector lanes: only the pixels {@code (oy·sH, ox·sW)} are read by
 * the convolution, and each gets {@code dx[c] = Σ_f w[f, c]·dy[f, oy, ox]}; every other pixel's
 * gradient is zero.
 *
 * <p>Per image, {@link FilterLanesSimd}'s tiles compute those sums for all output pixels with the
 * filters as the terms, reading the output gradient where it lies (no copy: a 1×1 kernel needs no
 * padding); the {@code [pixel][channel]} result is transposed to planes and spread over every
 * {@code sH}-th row, at stride 2 by interleaving each row with zeros. Against {@link Conv2dGemm} (a
 * GEMM per six images, gathering the output gradient and col2im-ing into every other pixel) see
 * {@link #MAX_OUTPUT_PLANE}: it wins on small planes only. Each element is one FMA chain over the
 * filters in a fixed order, and images are independent, so the result is the same for every thread
 * count.
 */
public final class StridedPointwiseInputGradient {
  private StridedPointwiseInputGradient() {}

  /**
   * The largest output plane {@link ConvPlanner} gives this kernel (an 8 × 8 plane), and only with
   * 32-channel lane blocks (a multiple of 32 that is not one of 64): there {@link Conv2dGemm}'s
   * per-GEMM costs outweigh its faster arithmetic. One thread, batch 128, forward + input gradient,
   * best of eight alternating rounds in one JVM, this kernel against the GEMM: 32 → 64 on 14×14
   * (ResNet-20's shortcut) 1.06–1.31 against 1.35–1.41 ms; 32 → 64 on 28×28 5.19–5.26 against
   * 5.08–5.10; 64 → 128 on 14×14 3.90–4.08 against 3.58–3.77.
   */
  static final int MAX_OUTPUT_PLANE = 64;

  /** True when {@link #backwardInput} computes this geometry. */
  static boolean fits(ConvGeometry g) {
    return g.kernelH() == 1
        && g.kernelW() == 1
        && g.strideH() * g.strideW() > 1
        && g.padTop() == 0
        && g.padLeft() == 0
        && g.channels() % 32 == 0;
  }

  /**
   * {@code dx [N, C, H, W] = ∂L/∂x} given {@code dout [N, F, Ho, Wo]}; {@code dx} must hold zeros
   * on entry (only the pixels the convolution reads are written).
   */
  public static void backwardInput(
      ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx) {
    int c = g.channels();
    int cv = FilterLanesSimd.blockWidth(c);
    int pixels = FilterLanesSimd.tileRows(cv);
    int p = g.outPlane();
    int tiled = (p + pixels - 1) / pixels * pixels;
    int[] offsets = new int[filters];
    for (int f = 0; f < filters; f++) {
      offsets[f] = f * p;
    }
    float[] packed = pack(w, filters, c, cv);
    int blocks = c / cv;
    long macs = (long) c * p * filters;
    int minChunk = FilterLanesConv.minChunk(macs);
    Parallel.forRange(
        batch,
        minChunk,
        (from, to) -> {
          int[] base = new int[tiled];
          float[] yp = new float[blocks * tiled * cv];
          float[] planes = new float[c * p];
          float[] zeros = new float[c * p];
          for (int n = from; n < to; n++) {
            // pixel q's term f is dout[n, f, q]: the output gradient read in place
            int image = n * filters * p;
            for (int q = 0; q < tiled; q++) {
              base[q] = image + Math.min(q, p - 1);
            }
            for (int b = 0; b < blocks; b++) {
              int wo = b * filters * cv;
              for (int q0 = 0; q0 < tiled; q0 += pixels) {
                FilterLanesSimd.tile(
                    cv, dout, base, q0, offsets, packed, wo, yp, (b * tiled + q0) * cv);
              }
              TransposeSimd.transposeMatrix(yp, b * tiled * cv, cv, planes, b * cv * p, p, p, cv);
            }
            spread(g, planes, zeros, dx, n * c * g.inPlane());
          }
        });
  }

  /** Weights {@code [F, C]} as {@code [C/cv][F][cv]}: one aligned vector per filter. */
  private static float[] pack(float[] w, int filters, int c, int cv) {
    float[] packed = new float[filters * c];
    for (int f = 0; f < filters; f++) {
      for (int ci = 0; ci < c; ci++) {
        packed[(ci / cv * filters + f) * cv + ci % cv] = w[f * c + ci];
      }
    }
    return packed;
  }

  /**
   * The planes {@code [C][Ho, Wo]} into the pixels {@code (oy·sH, ox·sW)} of one image's dx; output
   * pixels that only read bottom or right padding have nowhere to go.
   */
  private static void spread(ConvGeometry g, float[] planes, float[] zeros, float[] dx, int dxOff) {
    int c = g.channels();
    int outW = g.outW();
    int p = g.outPlane();
    int width = g.width();
    int sw = g.strideW();
    int rows = Math.min(g.outH(), (g.height() - 1) / g.strideH() + 1);
    int cols = Math.min(outW, (width - 1) / sw + 1);
    int rowStride = g.strideH() * width;
    for (int ci = 0; ci < c; ci++) {
      int src = ci * p;
      int dst = dxOff + ci * g.inPlane();
      if (sw == 2) {
        // a stride-2 row is the sums interleaved with zeros: written whole
        PlaneCopySimd.interleaveRows(
            planes, src, zeros, src, outW, dx, dst, rowStride, rows, width);
        continue;
      }
      for (int oy = 0; oy < rows; oy++) {
        for (int ox = 0; ox < cols; ox++) {
          dx[dst + oy * rowStride + ox * sw] = planes[src + oy * outW + ox];
        }
      }
    }
  }
}
