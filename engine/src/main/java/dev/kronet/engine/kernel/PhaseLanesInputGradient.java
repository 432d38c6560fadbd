package dev.kronet.engine.kernel;

/**
 * The input gradient of a 3×3 stride-2 convolution padded by 1 (the ResNet family's downsampling
 * layer) whose channels are too few for {@link FilterLanesInputGradient}'s channel lanes (16, 48,
 * …), computed with (stride phase, channel) in the vector lanes.
 *
 * <p>Cut the input into super-pixels of 2 × 2 pixels: super-pixel {@code (Y, X)} holds the input
 * pixels {@code (2Y + ry, 2X + rx)}, one per stride phase {@code (ry, rx)}. Input row {@code 2Y +
 * ry} receives output-gradient row {@code Y} through kernel row {@code 1} (ry = 0), or rows {@code
 * Y} and {@code Y + 1} through kernel rows 2 and 0 (ry = 1); columns likewise. So all four phases
 * of a super-pixel read the same 2 × 2 block of the output gradient, each with its own taps (1, 2,
 * 2 and 4 of them: {@link PhaseTileSimd} lists them), and a register tile of 4 super-pixels × 4
 * phases × 16 channels does only the useful multiply-adds. The output gradient is copied once per
 * image into planes with one zero row and column after the last (the reads of the last
 * super-pixels); the tile's {@code [super-pixel][phase, channel]} rows are transposed to planes and
 * the two column phases interleaved back into the input-gradient rows.
 *
 * <p>Measured on one thread, batch 128, the 16 → 32 layer on 28×28, input gradient alone, in one
 * JVM alternating (best of 10 per round, eight rounds): 3.9 ms against {@link DirectConv}'s stride
 * phases at 4.7; a generic (phase, channel) tile over the whole 2 × 2 super-kernel, 7 of whose 16
 * products per phase quadruple are by zero weights, took 5.1 and was dropped. With 32 channels this
 * tile and {@link FilterLanesInputGradient} are level (2.42 and 2.49 ms for 32 → 64 on 14×14), and
 * the latter keeps those. Each element is one FMA chain over (filter, tap) in a fixed order and
 * images are independent, so results are the same for every thread count.
 */
public final class PhaseLanesInputGradient {
  private PhaseLanesInputGradient() {}

  /**
   * True when {@link #backwardInput} computes this geometry: a 3×3 kernel at stride 2 with padding
   * 1 on top and left (any at the bottom and right), no dilation, a multiple of 16 channels.
   */
  static boolean fits(ConvGeometry g) {
    return g.kernelH() == 3
        && g.kernelW() == 3
        && g.strideH() == 2
        && g.strideW() == 2
        && g.padTop() == 1
        && g.padLeft() == 1
        && g.dilationH() == 1
        && g.dilationW() == 1
        && g.channels() % 16 == 0;
  }

  /** {@code dx [N, C, H, W] = ∂L/∂x} given {@code dout [N, F, Ho, Wo]}; dx is overwritten. */
  public static void backwardInput(
      ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx) {
    int c = g.channels();
    int lanes = 4 * c;
    int superH = (g.height() + 1) / 2;
    int superW = (g.width() + 1) / 2;
    int superPlane = superH * superW;
    int pixels = PhaseTileSimd.PIXELS;
    int tiled = (superPlane + pixels - 1) / pixels * pixels;
    // padded output gradient: all its rows, and the row and column after the last super-pixel's
    int hd = Math.max(g.outH(), superH + 1);
    int wd = Math.max(g.outW(), superW + 1);
    int[] base = new int[tiled];
    for (int q = 0; q < tiled; q++) {
      int real = Math.min(q, superPlane - 1);
      base[q] = real / superW * wd + real % superW;
    }
    float[] packed = pack(w, filters, c);
    int plane = g.inPlane();
    long macs = 9L * c * superPlane * filters;
    int minChunk = FilterLanesConv.minChunk(macs);
    Parallel.forRange(
        batch,
        minChunk,
        (from, to) -> {
          float[] dyp = new float[filters * hd * wd];
          float[] yp = new float[tiled * lanes];
          float[] planes = new float[lanes * superPlane];
          for (int n = from; n < to; n++) {
            FilterLanesConv.padPlanes(
                dout,
                n * filters * g.outPlane(),
                filters,
                g.outH(),
                g.outW(),
                dyp,
                0,
                hd,
                wd,
                0,
                0);
            for (int cb = 0; cb < c; cb += 16) {
              int wo = cb / 16 * filters * PhaseTileSimd.FILTER_FLOATS;
              for (int q0 = 0; q0 < tiled; q0 += pixels) {
                PhaseTileSimd.tile(
                    dyp, base, q0, filters, hd * wd, wd, packed, wo, yp, q0 * lanes + cb, lanes, c);
              }
            }
            // [super-pixel][phase, channel] to [phase, channel][super-pixel]
            TransposeSimd.transposeMatrix(yp, 0, lanes, planes, 0, superPlane, superPlane, lanes);
            spread(g, planes, superH, superW, dx, n * c * plane);
          }
        });
  }

  /** Weights as {@code [C/16][F][ky, kx][16]}: per filter, 9 vectors of 16 channels. */
  private static float[] pack(float[] w, int filters, int c) {
    float[] packed = new float[filters * c * 9];
    for (int f = 0; f < filters; f++) {
      for (int ci = 0; ci < c; ci++) {
        int to = (ci / 16 * filters + f) * PhaseTileSimd.FILTER_FLOATS + ci % 16;
        for (int t = 0; t < 9; t++) {
          packed[to + t * 16] = w[(f * c + ci) * 9 + t];
        }
      }
    }
    return packed;
  }

  /**
   * Spreads the (phase, channel) planes of super-pixels ({@code [ry, rx, c][Y, X]}) over one
   * image's input-gradient planes at {@code dx[dxOff]}: each row phase's two column phases are
   * interleaved into the rows {@code 2Y + ry}; super-pixel parts past the input's edge are dropped.
   */
  private static void spread(
      ConvGeometry g, float[] planes, int superH, int superW, float[] dx, int dxOff) {
    int c = g.channels();
    int width = g.width();
    int superPlane = superH * superW;
    for (int ry = 0; ry < 2; ry++) {
      int rows = (g.height() - ry + 1) / 2;
      for (int ci = 0; ci < c; ci++) {
        PlaneCopySimd.interleaveRows(
            planes,
            (2 * ry * c + ci) * superPlane,
            planes,
            ((2 * ry + 1) * c + ci) * superPlane,
            superW,
            dx,
            dxOff + ci * g.inPlane() + ry * width,
            2 * width,
            rows,
            width);
      }
    }
  }
}
