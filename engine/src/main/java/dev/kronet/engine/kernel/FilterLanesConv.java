package dev.kronet.engine.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * Ungrouped 2-d convolution with the filters in the vector lanes, for layers with a multiple of two
 * vectors of filters (ResNet-20's 32- and 64-channel stages; at 8 lanes its 16-channel one too).
 * Per image: the input is copied once into zero-padded planes (or read where it lies when no tap
 * reads padding, as in 1×1 shortcuts); each register tile of {@link FilterLanesSimd} computes a
 * block of output pixels for 2 or 4 vectors of filters by broadcasting one input value per pixel
 * against a vector of weights; the image's {@code [pixel][filter]} result is transposed into the
 * {@code [filter][pixel]} planes of the output (a lanes × lanes block at a time in registers,
 * {@link TransposeSimd}).
 *
 * <p>Against {@link DirectConv} (positions in the lanes, weights broadcast) this computes no
 * garbage column (on a 7×7 plane, 49 of DirectConv's 64 positions are real) and needs no stride
 * phases; its weight loads are aligned. Measured on one thread, batch 128, forward, ms DirectConv →
 * FilterLanesConv: 32→32 @14 4.0 → 3.5, 64→64 @7 3.8–4.2 → 3.5, 32→64 stride 2 @14 2.7 → 1.9.
 *
 * <p>The weight gradient ({@link #backwardWeight}) runs the same kind of tile over blocks of images
 * with the output gradient transposed to pixel rows; the input gradient, with the input channels in
 * the lanes, is {@link FilterLanesInputGradient}.
 *
 * <p>Each output element is one FMA chain over (channel, tap) in a fixed order and images are
 * independent, so results are the same for every thread count. Runs at any lane count with tiles
 * sized to the register file ({@link FilterLanesSimd}); without SIMD, {@link DirectConv} and {@link
 * Conv2dGemm} (with their scalar twins) take its convolutions, and are what the tests compare this
 * against besides the naive convolution.
 */
public final class FilterLanesConv {
  /** Input and output-gradient floats a weight-gradient block of images should hold (≈ L2). */
  private static final int WEIGHT_BLOCK_FLOATS = 1 << 16;

  /** Multiply-adds a chunk of images should hold before another thread is worth waking. */
  private static final long MIN_CHUNK_MACS = 1L << 20;

  private FilterLanesConv() {}

  /** {@code out [N, F, Ho, Wo] = conv(x, w) + bias} ({@code bias} may be null); out overwritten. */
  public static void forward(
      ConvGeometry g, int filters, int batch, float[] x, float[] w, float[] bias, float[] out) {
    Layout lay = new Layout(g, filters);
    int fv = lay.fv;
    int pixels = FilterLanesSimd.tileRows(fv);
    int p = g.outPlane();
    int tiled = (p + pixels - 1) / pixels * pixels;
    int[] base = lay.base(tiled);
    int[] offsets = lay.offsets(lay.k);
    float[] packed = pack(w, filters, lay.k, fv);
    int blocks = filters / fv;
    Parallel.forRange(
        batch,
        lay.minChunk(),
        (from, to) -> {
          float[] xp = lay.inPlace ? x : new float[lay.imageFloats];
          int[] at = lay.inPlace ? new int[tiled] : base;
          float[] yp = new float[blocks * tiled * fv];
          for (int n = from; n < to; n++) {
            if (lay.inPlace) {
              shift(base, n * lay.imageFloats, at);
            } else {
              lay.pad(x, n, xp, 0);
            }
            for (int b = 0; b < blocks; b++) {
              int wo = b * lay.k * fv;
              for (int q0 = 0; q0 < tiled; q0 += pixels) {
                int yo = (b * tiled + q0) * fv;
                FilterLanesSimd.tile(fv, xp, at, q0, offsets, packed, wo, yp, yo);
              }
            }
            unpack(yp, tiled, fv, filters, p, bias, out, n * filters * p);
          }
        });
  }

  /**
   * {@code dw [F, C, kh, kw] = ∂L/∂w} (overwritten) of a convolution this kernel takes: per block
   * of images, the inputs padded and the output gradients transposed to {@code [pixel][filter]},
   * then each tile of (channel, tap) rows × filters sums over the block's pixels with the filters
   * in the lanes. Chunks of images sum separately and their partials are added in chunk order, so
   * the result depends only on the thread count.
   */
  public static void backwardWeight(
      ConvGeometry g, int filters, int batch, float[] dout, float[] x, float[] dw) {
    Layout lay = new Layout(g, filters);
    int fv = lay.fv;
    int rows = FilterLanesSimd.weightTileRows(fv);
    int p = g.outPlane();
    int k = lay.k;
    int kPad = (k + rows - 1) / rows * rows;
    int[] base = lay.base(p);
    int[] offsets = lay.offsets(kPad);
    int blocks = filters / fv;
    int dyImage = p * filters;
    int block =
        (int) Math.max(1, Math.min(batch, WEIGHT_BLOCK_FLOATS / (lay.imageFloats + dyImage)));
    List<float[]> partials =
        Parallel.partials(
            batch,
            Math.max(block, lay.minChunk()),
            (from, to) -> {
              float[] acc = new float[blocks * kPad * fv];
              float[] xp = lay.inPlace ? x : new float[block * lay.imageFloats];
              int[] at = lay.inPlace ? new int[p] : base;
              float[] dyT = new float[block * dyImage];
              for (int n0 = from; n0 < to; n0 += block) {
                int images = Math.min(block, to - n0);
                if (lay.inPlace) {
                  shift(base, n0 * lay.imageFloats, at);
                }
                for (int j = 0; j < images; j++) {
                  if (!lay.inPlace) {
                    lay.pad(x, n0 + j, xp, j * lay.imageFloats);
                  }
                  // one image's planes [F][P] to pixel rows [P][F]
                  TransposeSimd.transposeMatrix(
                      dout, (n0 + j) * dyImage, p, dyT, j * dyImage, filters, filters, p);
                }
                for (int b = 0; b < blocks; b++) {
                  for (int k0 = 0; k0 < kPad; k0 += rows) {
                    int ao = (b * kPad + k0) * fv;
                    FilterLanesSimd.weightTile(
                        fv,
                        xp,
                        lay.imageFloats,
                        at,
                        offsets,
                        k0,
                        dyT,
                        b * fv,
                        filters,
                        dyImage,
                        images,
                        p,
                        acc,
                        ao);
                  }
                }
              }
              return acc;
            });
    Arrays.fill(dw, 0, filters * k, 0f);
    for (float[] acc : partials) {
      for (int f = 0; f < filters; f++) {
        int from = (f / fv * kPad) * fv + f % fv;
        for (int i = 0; i < k; i++) {
          dw[f * k + i] += acc[from + i * fv];
        }
      }
    }
  }

  /**
   * Images a chunk of the batch should hold when each costs {@code macsPerImage} multiply-adds: the
   * lanes kernels split their work over the batch with this.
   */
  static int minChunk(long macsPerImage) {
    return (int) Math.max(1, MIN_CHUNK_MACS / Math.max(1, macsPerImage));
  }

  /** {@code to[q] = base[q] + by}: pixel windows moved to one image of an input read in place. */
  private static void shift(int[] base, int by, int[] to) {
    for (int q = 0; q < to.length; q++) {
      to[q] = base[q] + by;
    }
  }

  /** Weights {@code [F, K]} (K = C·taps) as {@code [F/fv][K][fv]}: one aligned vector per tap. */
  private static float[] pack(float[] w, int filters, int k, int fv) {
    float[] packed = new float[filters * k];
    for (int f = 0; f < filters; f++) {
      int block = f / fv * k * fv + f % fv;
      for (int i = 0; i < k; i++) {
        packed[block + i * fv] = w[f * k + i];
      }
    }
    return packed;
  }

  /**
   * Copies {@code planes} planes of {@code h × w} from {@code src[srcOff]} into zero-padded planes
   * of {@code hp × wp} at {@code dst[dstOff]}, {@code top} rows and {@code left} columns in. The
   * border is never written, so it stays zero from image to image; rows and columns past the padded
   * plane are never read by a tap and are left out.
   */
  static void padPlanes(
      float[] src,
      int srcOff,
      int planes,
      int h,
      int w,
      float[] dst,
      int dstOff,
      int hp,
      int wp,
      int top,
      int left) {
    int rows = Math.min(h, hp - top);
    int cols = Math.min(w, wp - left);
    if (cols <= 0) {
      return;
    }
    for (int ci = 0; ci < planes; ci++) {
      PlaneCopySimd.copyRows(
          src, srcOff + ci * h * w, w, dst, dstOff + (ci * hp + top) * wp + left, wp, rows, cols);
    }
  }

  /**
   * Transposes the image's tiles ({@code [block][tiled pixel][fv]}) into output planes {@code
   * [F][P]} at {@code out[outOff]}, adding the bias.
   */
  static void unpack(
      float[] yp, int tiled, int fv, int filters, int p, float[] bias, float[] out, int outOff) {
    for (int b = 0; b < filters / fv; b++) {
      TransposeSimd.transposeMatrix(yp, b * tiled * fv, fv, out, outOff + b * fv * p, p, p, fv);
    }
    if (bias != null) {
      for (int f = 0; f < filters; f++) {
        float b = bias[f];
        int o = outOff + f * p;
        for (int q = 0; q < p; q++) {
          out[o + q] += b;
        }
      }
    }
  }

  /**
   * Where a convolution's reads fall in the zero-padded planes of one image: planes of {@code hp ×
   * wp} covering every input position a tap reads, the plane offset of each output pixel and of
   * each (channel, tap).
   */
  private static final class Layout {
    final ConvGeometry g;
    final int fv;
    final int taps;
    final int k;
    final int hp;
    final int wp;
    final int imageFloats;
    final long macs;

    /**
     * True when no tap reads padding (none on top or left, and every window inside the input): the
     * kernels then read the input where it lies, in planes of {@code H × W}, and nothing is copied.
     */
    final boolean inPlace;

    Layout(ConvGeometry g, int filters) {
      this.g = g;
      fv = FilterLanesSimd.blockWidth(filters);
      taps = g.kernelH() * g.kernelW();
      k = g.channels() * taps;
      int reachH = (g.outH() - 1) * g.strideH() + (g.kernelH() - 1) * g.dilationH() + 1;
      int reachW = (g.outW() - 1) * g.strideW() + (g.kernelW() - 1) * g.dilationW() + 1;
      inPlace = g.padTop() == 0 && g.padLeft() == 0 && reachH <= g.height() && reachW <= g.width();
      hp = inPlace ? g.height() : reachH;
      wp = inPlace ? g.width() : reachW;
      imageFloats = g.channels() * hp * wp;
      macs = (long) filters * g.outPlane() * k;
    }

    /** Offset of output pixel q's window; past the last pixel, the last one's (a valid read). */
    int[] base(int length) {
      int[] base = new int[length];
      for (int q = 0; q < length; q++) {
        int real = Math.min(q, g.outPlane() - 1);
        base[q] = real / g.outW() * g.strideH() * wp + real % g.outW() * g.strideW();
      }
      return base;
    }

    /** Offset of (channel, tap) i from a window; past the last, the last one's. */
    int[] offsets(int length) {
      int[] offsets = new int[length];
      for (int i = 0; i < length; i++) {
        int real = Math.min(i, k - 1);
        int t = real % taps;
        int ky = t / g.kernelW();
        int kx = t % g.kernelW();
        offsets[i] = real / taps * hp * wp + ky * g.dilationH() * wp + kx * g.dilationW();
      }
      return offsets;
    }

    int minChunk() {
      return FilterLanesConv.minChunk(macs);
    }

    /** Image n of x into the padded planes at {@code xp[xpOff]}. */
    void pad(float[] x, int n, float[] xp, int xpOff) {
      int c = g.channels();
      padPlanes(
          x,
          n * c * g.inPlane(),
          c,
          g.height(),
          g.width(),
          xp,
          xpOff,
          hp,
          wp,
          g.padTop(),
          g.padLeft());
    }
  }
}
