package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * Stride-1, ungrouped 2-d convolution computed directly on zero-padded flat planes (see {@link
 * FlatCorrelation}), with no column matrix: the input of one image is copied once into a padded
 * buffer of {@code C} planes and every output is a sum over channels and taps of shifted reads of
 * it. Against im2col + GEMM this saves writing and packing a {@code C·kh·kw × Ho·Wo} matrix per
 * image, which for the few-channel convolutions of ResNet-20 and of Kronecker layers costs about as
 * much as the multiply itself.
 *
 * <p>Padded geometry: {@code Hp = Ho + (kh−1)·dH} rows and {@code Wp = Wo + (kw−1)·dW} columns (the
 * input shifted by the top/left padding; bottom/right padding and rows no output reads are
 * implied). Output position {@code p = oy·Wp + ox} reads input position {@code p + ky·dH·Wp +
 * kx·dW}; the {@code Wp − Wo} last columns of each output row are garbage and dropped. The input
 * gradient is the same correlation run backwards: the output gradient, zero in those garbage
 * columns and shifted by the largest tap, correlated with the flipped, transposed kernel gives the
 * gradient of every padded input position. The weight gradient is a dot product, per filter,
 * channel and tap, of the output gradient with the shifted input, over all images.
 *
 * <p>Forward and input gradient are split over images; the weight gradient sums per chunk of images
 * and adds the chunk partials in chunk order, so results depend only on the thread count.
 */
public final class DirectConv {
  private static final int F4 = FlatCorrelation.FILTERS;

  /**
   * Start of the data in every scratch buffer: with {@code -XX:ObjectAlignmentInBytes=64} and a
   * 16-byte array header, 12 floats in is a cache-line boundary, and plane strides are multiples of
   * 16 floats, so output rows and planes start on one (as {@code SgemmVector}'s packing buffers).
   * Only speed depends on this.
   */
  private static final int BASE = 12;

  private static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("kronet.directConv", "true"));

  /** Input floats a weight-gradient block of images should hold at most (≈ L2-sized). */
  private static final int WEIGHT_BLOCK_FLOATS = 1 << 16;

  private DirectConv() {}

  /**
   * True when this kernel takes the convolution: stride 1, one group and a kernel larger than 1×1
   * (a 1×1 convolution is a plain matrix product). {@code -Dkronet.directConv=false} sends
   * everything to im2col + GEMM instead.
   */
  public static boolean suits(ConvGeometry g, int groups) {
    return ENABLED
        && groups == 1
        && g.strideH() == 1
        && g.strideW() == 1
        && g.kernelH() * g.kernelW() > 1;
  }

  /**
   * True when {@link #backwardWeight} should take a convolution {@link #suits} accepts. Its dot
   * products run over every flat position, garbage columns and slack included (49 of every 96 on a
   * 7×7 plane); the GEMM lowering wastes none and its micro-kernel is efficient once there are many
   * filters, so with ≥ 32 filters and less than 70 % useful positions the GEMM is faster (measured:
   * 64→64 3×3 on 7×7, batch 128, 10.0 ms direct against 6.1 ms GEMM; 32→32 on 14×14, 72 % useful,
   * 6.9 against 8.2).
   */
  public static boolean suitsWeightGradient(ConvGeometry g, int groups, int filters) {
    if (!suits(g, groups)) {
      return false;
    }
    Flat flat = new Flat(g);
    return filters < 32 || g.outPlane() >= 0.7 * flat.inStride;
  }

  /** {@code out [N, F, Ho, Wo] = conv(x, w) + bias} ({@code bias} may be null). */
  public static void forward(
      ConvGeometry g,
      int filters,
      int batch,
      float[] x,
      float[] w,
      float[] bias,
      float[] out,
      boolean simd) {
    Flat flat = new Flat(g);
    int c = g.channels();
    float[] packed = packFilters(w, filters, c, flat.taps.length, false);
    int fPad = roundUp(filters, F4);
    Parallel.forRange(
        batch,
        minChunk(flat, filters, c),
        (from, to) -> {
          float[] xp = new float[BASE + c * flat.inStride];
          float[] yp = new float[BASE + fPad * flat.outPositions];
          for (int n = from; n < to; n++) {
            float[] in = xp;
            int inOff = BASE;
            int stride = flat.inStride;
            if (flat.inputIsPadded()
                && (long) (n + 1) * c * g.inPlane() + flat.readPastPlane() <= x.length) {
              // The planes are already flat and padded: read them in place. The last vector block
              // of a plane reads a little past it, into the next plane, for garbage positions only;
              // where that would pass the end of x (the batch's last image), the image is copied.
              in = x;
              inOff = n * c * g.inPlane();
              stride = g.inPlane();
            } else {
              flat.padInput(x, n * c * g.inPlane(), c, xp, flat.inStride, BASE);
            }
            for (int fb = 0; fb < fPad; fb += F4) {
              FlatCorrelation.forward(
                  in,
                  inOff,
                  stride,
                  c,
                  flat.taps,
                  packed,
                  fb * c * flat.taps.length,
                  yp,
                  BASE + fb * flat.outPositions,
                  flat.outPositions,
                  flat.outPositions,
                  simd);
            }
            flat.dropGarbage(yp, BASE, out, n * filters * g.outPlane(), filters, bias);
          }
        });
  }

  /** {@code dx [N, C, H, W] = ∂L/∂x} given {@code dout}; {@code dx} is overwritten. */
  public static void backwardInput(
      ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx, boolean simd) {
    Flat flat = new Flat(g);
    int c = g.channels();
    int t = flat.taps.length;
    float[] packed = packFilters(w, filters, c, t, true);
    int cPad = roundUp(c, F4);
    // Only the padded positions of input pixels are computed: a run from the first pixel's,
    // padTop·Wp + padLeft, to the last one's, read shifted by the largest tap.
    int first = g.padTop() * flat.wp + g.padLeft();
    int positions = roundUp(flat.inputRun(), FlatCorrelation.positionAlign());
    int maxTap = flat.taps[t - 1];
    // the shifted output gradient, and every position the run reads
    int dyStride = roundUp(maxTap + Math.max(first + positions, g.outH() * flat.wp), ALIGN);
    Parallel.forRange(
        batch,
        minChunk(flat, filters, c),
        (from, to) -> {
          float[] dyp = new float[BASE + filters * dyStride];
          float[] dxp = new float[BASE + cPad * positions];
          for (int n = from; n < to; n++) {
            flat.spreadOutput(
                dout, n * filters * g.outPlane(), filters, dyp, BASE + maxTap, dyStride);
            for (int cb = 0; cb < cPad; cb += F4) {
              FlatCorrelation.forward(
                  dyp,
                  BASE + first,
                  dyStride,
                  filters,
                  flat.taps,
                  packed,
                  cb * filters * t,
                  dxp,
                  BASE + cb * positions,
                  positions,
                  positions,
                  simd);
            }
            flat.cropInput(dxp, BASE, positions, dx, n * c * g.inPlane(), c);
          }
        });
  }

  /** {@code dw [F, C, kh, kw] = ∂L/∂w} (overwritten), summed over the batch in a fixed order. */
  public static void backwardWeight(
      ConvGeometry g, int filters, int batch, float[] dout, float[] x, float[] dw, boolean simd) {
    Flat flat = new Flat(g);
    int c = g.channels();
    int t = flat.taps.length;
    int fPad = roundUp(filters, F4);
    int lanes = simd ? Simd.floatLanes() : 1;
    int align = FlatCorrelation.positionAlign();
    int maxTap = flat.taps[t - 1];
    // Images of a block sit side by side in each channel's run (stride inStride), so one call
    // covers them all; the gradient of the garbage and slack positions is zero.
    int block = Math.max(1, Math.min(batch, WEIGHT_BLOCK_FLOATS / ((c + fPad) * flat.inStride)));
    int run = roundUp(block * flat.inStride, align);
    int xStride = roundUp(run + maxTap, ALIGN);
    int minChunk = Math.max(block, minChunk(flat, filters, c));
    int chunks = Parallel.chunkCount(batch, minChunk);
    float[][] partial = new float[chunks][];
    Parallel.forRange(
        batch,
        minChunk,
        (from, to) -> {
          float[] acc = new float[fPad * c * t * lanes];
          float[] xp = new float[BASE + c * xStride];
          float[] dyp = new float[BASE + fPad * run];
          for (int n0 = from; n0 < to; n0 += block) {
            int images = Math.min(block, to - n0);
            if (images < block) {
              Arrays.fill(xp, 0f);
              Arrays.fill(dyp, 0f);
            }
            for (int j = 0; j < images; j++) {
              int at = BASE + j * flat.inStride;
              flat.padInput(x, (n0 + j) * c * g.inPlane(), c, xp, xStride, at);
              flat.spreadOutput(dout, (n0 + j) * filters * g.outPlane(), filters, dyp, at, run);
            }
            int positions = roundUp(images * flat.inStride, align);
            for (int fb = 0; fb < fPad; fb += F4) {
              for (int ci = 0; ci < c; ci++) {
                int lanesOff = (fb * c + ci * F4) * t * lanes;
                for (int t0 = 0; t0 < t; t0 += 3) {
                  FlatCorrelation.weights(
                      dyp,
                      BASE + fb * run,
                      run,
                      xp,
                      BASE + ci * xStride,
                      flat.taps,
                      t0,
                      Math.min(t, t0 + 3),
                      acc,
                      lanesOff,
                      positions,
                      simd);
                }
              }
            }
          }
          partial[Parallel.chunkIndex(batch, chunks, from)] = acc;
        });
    Arrays.fill(dw, 0f);
    for (float[] acc : partial) {
      if (acc == null) {
        continue; // a loop run inline, inside another kronet task, is one chunk
      }
      for (int f = 0; f < filters; f++) {
        int fb = f - f % F4;
        for (int ci = 0; ci < c; ci++) {
          int base = ((fb * c + ci * F4) * t + (f - fb) * t) * lanes;
          for (int k = 0; k < t; k++) {
            float sum = 0f;
            for (int l = 0; l < lanes; l++) {
              sum += acc[base + k * lanes + l];
            }
            dw[(f * c + ci) * t + k] += sum;
          }
        }
      }
    }
  }

  /**
   * Weights in blocks of 4 filters, {@code [F/4][C][T][4]}, zero for the padding filters. With
   * {@code transposed}, the kernel of the input gradient instead: channels become filters and the
   * taps are flipped, {@code [C/4][F][T][4]} holding {@code w[f, c, T−1−t]}.
   */
  private static float[] packFilters(
      float[] w, int filters, int channels, int t, boolean transposed) {
    int rows = transposed ? channels : filters;
    int cols = transposed ? filters : channels;
    float[] packed = new float[roundUp(rows, F4) * cols * t];
    for (int r = 0; r < rows; r++) {
      int rb = r - r % F4;
      for (int col = 0; col < cols; col++) {
        for (int k = 0; k < t; k++) {
          float v =
              transposed
                  ? w[(col * channels + r) * t + (t - 1 - k)]
                  : w[(r * channels + col) * t + k];
          packed[((rb * cols + col * F4) * t) + k * F4 + (r - rb)] = v;
        }
      }
    }
    return packed;
  }

  private static int minChunk(Flat flat, int filters, int channels) {
    long work = (long) filters * channels * flat.taps.length * flat.outPositions;
    return (int) Math.max(1, (1 << 15) / Math.max(1, work));
  }

  /** Plane strides are multiples of this many floats (a 64-byte cache line). */
  private static final int ALIGN = 16;

  private static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }

  /** The flat padded layout of one geometry. */
  private static final class Flat {
    final ConvGeometry g;
    final int hp;
    final int wp;

    /** Input offset of each tap {@code ky·kw + kx} from the output position. */
    final int[] taps;

    /** Output positions computed per plane: {@code Ho·Wp} rounded up to whole vectors. */
    final int outPositions;

    /** Floats per padded input plane: every position an output position reads, and slack. */
    final int inStride;

    Flat(ConvGeometry g) {
      this.g = g;
      hp = g.outH() + (g.kernelH() - 1) * g.dilationH();
      wp = g.outW() + (g.kernelW() - 1) * g.dilationW();
      taps = new int[g.kernelH() * g.kernelW()];
      for (int ky = 0; ky < g.kernelH(); ky++) {
        for (int kx = 0; kx < g.kernelW(); kx++) {
          taps[ky * g.kernelW() + kx] = ky * g.dilationH() * wp + kx * g.dilationW();
        }
      }
      outPositions = roundUp(g.outH() * wp, FlatCorrelation.positionAlign());
      inStride = roundUp(outPositions + taps[taps.length - 1], ALIGN);
    }

    /**
     * True when the input needs no padding and every row and column of it is read: its planes are
     * then the flat padded planes themselves (a Kronecker layer's A stage, whose input the B stage
     * computed on the padded grid).
     */
    boolean inputIsPadded() {
      return g.padTop() == 0 && g.padLeft() == 0 && hp == g.height() && wp == g.width();
    }

    /** How far the reads of one plane's positions reach past the end of an unpadded plane. */
    int readPastPlane() {
      return outPositions + taps[taps.length - 1] - g.height() * g.width();
    }

    /**
     * Copies the {@code channels} planes at {@code x[xOff]} into {@code xp} (plane c at {@code
     * c·stride + at}), shifted by the padding. Writes the same positions every time, so the zero
     * border of a buffer zeroed once stays zero.
     */
    void padInput(float[] x, int xOff, int channels, float[] xp, int stride, int at) {
      int h = g.height();
      int w = g.width();
      int y0 = Math.max(0, -g.padTop());
      int y1 = Math.min(h, hp - g.padTop());
      int x0 = Math.max(0, -g.padLeft());
      int x1 = Math.min(w, wp - g.padLeft());
      if (x1 <= x0) {
        return;
      }
      for (int ci = 0; ci < channels; ci++) {
        int src = xOff + ci * h * w;
        int dst = ci * stride + at + g.padLeft();
        for (int y = y0; y < y1; y++) {
          System.arraycopy(x, src + y * w + x0, xp, dst + (y + g.padTop()) * wp + x0, x1 - x0);
        }
      }
    }

    /**
     * Copies the {@code filters} output-gradient planes at {@code dout[off]} into {@code dyp}
     * (plane f at {@code f·stride + at}) in the flat {@code Ho × Wp} layout; the garbage columns
     * are never written and stay zero.
     */
    void spreadOutput(float[] dout, int off, int filters, float[] dyp, int at, int stride) {
      int ho = g.outH();
      int wo = g.outW();
      for (int f = 0; f < filters; f++) {
        int src = off + f * ho * wo;
        int dst = f * stride + at;
        for (int y = 0; y < ho; y++) {
          System.arraycopy(dout, src + y * wo, dyp, dst + y * wp, wo);
        }
      }
    }

    /**
     * {@code out[off + f·Ho·Wo + oy·Wo + ox] = yp[base + f·outPositions + oy·Wp + ox] + bias[f]}.
     */
    void dropGarbage(float[] yp, int base, float[] out, int off, int filters, float[] bias) {
      int ho = g.outH();
      int wo = g.outW();
      for (int f = 0; f < filters; f++) {
        int src = base + f * outPositions;
        int dst = off + f * ho * wo;
        if (bias == null) {
          for (int y = 0; y < ho; y++) {
            System.arraycopy(yp, src + y * wp, out, dst + y * wo, wo);
          }
        } else {
          float b = bias[f];
          for (int y = 0; y < ho; y++) {
            for (int xx = 0; xx < wo; xx++) {
              out[dst + y * wo + xx] = yp[src + y * wp + xx] + b;
            }
          }
        }
      }
    }

    /**
     * Length of the run of padded positions from the first input pixel's to the last one's (rows
     * and columns the padded plane does not hold are never read, their gradient is zero).
     */
    int inputRun() {
      int rows = Math.min(g.height(), hp - g.padTop());
      int cols = Math.min(g.width(), wp - g.padLeft());
      return rows <= 0 || cols <= 0 ? 1 : (rows - 1) * wp + cols;
    }

    /**
     * The input gradient from the padded one, whose run starts at the first pixel: {@code dx[c, y,
     * x] = dxp[c·stride + y·Wp + x]}, zero for input pixels no output reads.
     */
    void cropInput(float[] dxp, int base, int stride, float[] dx, int dxOff, int channels) {
      int h = g.height();
      int w = g.width();
      int rows = Math.min(h, hp - g.padTop());
      int cols = Math.max(0, Math.min(w, wp - g.padLeft()));
      for (int ci = 0; ci < channels; ci++) {
        int dst = dxOff + ci * h * w;
        int src = base + ci * stride;
        for (int y = 0; y < h; y++) {
          int row = dst + y * w;
          if (y >= rows) {
            Arrays.fill(dx, row, row + w, 0f);
            continue;
          }
          System.arraycopy(dxp, src + y * wp, dx, row, cols);
          if (cols < w) {
            Arrays.fill(dx, row + cols, row + w, 0f);
          }
        }
      }
    }
  }
}
