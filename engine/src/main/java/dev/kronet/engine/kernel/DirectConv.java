package dev.kronet.engine.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Ungrouped 2-d convolution computed directly on zero-padded flat planes (see {@link
 * FlatCorrelation} and {@link FlatLayout}), with no column matrix: the input of one image is copied
 * once into a padded buffer of {@code C} planes (of {@code C × phases} phase planes when strided)
 * and every output is a sum over channels and taps of shifted reads of it. Against im2col + GEMM
 * this saves writing and packing a {@code C·kh·kw × Ho·Wo} matrix per image, which for the
 * few-channel convolutions of ResNet-20 and of Kronecker layers costs about as much as the multiply
 * itself.
 *
 * <p>Output position {@code p = oy·Wq + ox} reads phase position {@code p + tap offset}; the {@code
 * Wq − Wo} last columns of each output row are garbage and dropped. The input gradient is the same
 * correlation run backwards, phase by phase: the output gradient, zero in those garbage columns and
 * shifted by the largest tap, correlated with the phase's taps of the transposed kernel, gives the
 * gradient of every position of that phase plane, which is scattered back to the input pixels. The
 * weight gradient is a dot product, per filter, channel and tap, of the output gradient with the
 * shifted phase plane, over all images.
 *
 * <p>Both gradients come from one spread of the output gradient when both are wanted ({@link
 * #backward}). Forward and input gradient are split over images; the weight gradient sums per chunk
 * of images and adds the chunk partials in chunk order, so results depend only on the thread count.
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

  /** Input floats a weight-gradient block of images should hold at most (≈ L2-sized). */
  private static final int WEIGHT_BLOCK_FLOATS = 1 << 16;

  private DirectConv() {}

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
    FlatLayout flat = new FlatLayout(g);
    int c = g.channels();
    float[] packed = packFilters(w, filters, c, flat.taps.length);
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
              flat.splitInput(x, n * c * g.inPlane(), c, xp, flat.inStride, flat.phaseStride, BASE);
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
    backward(g, filters, batch, dout, null, w, dx, null, simd);
  }

  /** {@code dw [F, C, kh, kw] = ∂L/∂w} (overwritten), summed over the batch in a fixed order. */
  public static void backwardWeight(
      ConvGeometry g, int filters, int batch, float[] dout, float[] x, float[] dw, boolean simd) {
    backward(g, filters, batch, dout, x, null, null, dw, simd);
  }

  /**
   * Both gradients from one pass over the output gradient: {@code dx = ∂L/∂x} (needs {@code w}) and
   * {@code dw = ∂L/∂w} (needs {@code x}), either of them null to skip it; the other is overwritten.
   * The output gradient is spread into its flat layout once for the two.
   *
   * <p>Images are processed in blocks that sit side by side in every flat plane, {@code
   * phaseStride} apart: the weight gradient runs over a whole block in one call (the gradient of
   * the garbage and slack positions is zero), the input gradient image by image. Image j's output
   * gradient starts at least {@code maxShift} positions into its slot, so the input gradient's
   * reads, which reach {@code maxShift} back from a phase position, stay in zeros or in that image.
   */
  public static void backward(
      ConvGeometry g,
      int filters,
      int batch,
      float[] dout,
      float[] x,
      float[] w,
      float[] dx,
      float[] dw,
      boolean simd) {
    FlatLayout flat = new FlatLayout(g);
    int c = g.channels();
    int t = flat.taps.length;
    int fPad = roundUp(filters, F4);
    int lanes = simd ? Simd.floatLanes() : 1;
    int align = FlatCorrelation.positionAlign();
    int image = flat.phaseStride;
    int block =
        Math.max(1, Math.min(batch, WEIGHT_BLOCK_FLOATS / ((c * flat.phases + fPad) * image)));
    int run = roundUp(block * image, align);
    // Image j's output gradient starts at slot j plus the largest tap's shift, rounded up so that
    // its rows stay 64-byte aligned for the weight loop (unaligned, it ran 10–20 % slower).
    int shift = roundUp(flat.maxShift(), FlatLayout.ALIGN);
    int readFrom = shift - flat.maxShift();
    InputGradientTaps input = dx == null ? null : new InputGradientTaps(flat, w, filters, c);
    int reach = input == null ? 0 : (block - 1) * image + readFrom + input.reach;
    int dyStride = roundUp(Math.max(shift + run, reach), FlatLayout.ALIGN);
    int phaseRun = roundUp(run + shift, FlatLayout.ALIGN);
    int xStride = flat.phases * phaseRun;
    int[] taps = flat.taps(phaseRun);
    List<float[]> partials =
        Parallel.partials(
            batch,
            Math.max(block, minChunk(flat, filters, c)),
            (from, to) -> {
              float[] acc = dw == null ? null : new float[fPad * c * t * lanes];
              float[] xp = dw == null ? null : new float[BASE + c * xStride];
              float[] dyp = new float[BASE + fPad * dyStride];
              float[] dxp = input == null ? null : new float[BASE + roundUp(c, F4) * input.longest];
              for (int n0 = from; n0 < to; n0 += block) {
                int images = Math.min(block, to - n0);
                if (images < block) {
                  if (xp != null) {
                    Arrays.fill(xp, 0f);
                  }
                  Arrays.fill(dyp, 0f);
                }
                for (int j = 0; j < images; j++) {
                  int at = BASE + j * image;
                  if (xp != null) {
                    flat.splitInput(x, (n0 + j) * c * g.inPlane(), c, xp, xStride, phaseRun, at);
                  }
                  flat.spreadOutput(
                      dout, (n0 + j) * filters * g.outPlane(), filters, dyp, at + shift, dyStride);
                }
                if (acc != null) {
                  int positions = roundUp(images * image, align);
                  for (int fb = 0; fb < fPad; fb += F4) {
                    for (int ci = 0; ci < c; ci++) {
                      int lanesOff = (fb * c + ci * F4) * t * lanes;
                      for (int t0 = 0; t0 < t; t0 += 3) {
                        FlatCorrelation.weights(
                            dyp,
                            BASE + shift + fb * dyStride,
                            dyStride,
                            xp,
                            BASE + ci * xStride,
                            taps,
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
                if (input != null) {
                  for (int j = 0; j < images; j++) {
                    input.run(
                        flat,
                        filters,
                        c,
                        dyp,
                        BASE + j * image + readFrom,
                        dyStride,
                        dxp,
                        dx,
                        n0 + j,
                        simd);
                  }
                }
              }
              return acc;
            });
    if (dw == null) {
      return;
    }
    Arrays.fill(dw, 0f);
    for (float[] acc : partials) {
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
   * The input gradient as a correlation run backwards, phase by phase: per phase, the taps that
   * read it, their kernel flipped and transposed, and the run of phase positions from its first
   * input pixel's to its last one's (others are never computed).
   */
  private static final class InputGradientTaps {
    final int phases;
    final int[][] taps;
    final float[][] packed;
    final int[] first;
    final int[] positions;
    final boolean[] empty;
    final boolean zeroFirst;

    /** Most phase positions of one phase, rounded to the position alignment. */
    final int longest;

    /** How far past an image's slot start the reads of its phases reach. */
    final int reach;

    InputGradientTaps(FlatLayout flat, float[] w, int filters, int c) {
      phases = flat.phases;
      taps = new int[phases][];
      packed = new float[phases][];
      first = new int[phases];
      positions = new int[phases];
      empty = new boolean[phases];
      int most = 0;
      int far = flat.hq * flat.wq;
      for (int ph = 0; ph < phases; ph++) {
        taps[ph] = backwardTaps(flat, ph);
        packed[ph] = packTransposed(w, filters, c, flat, ph, taps[ph].length);
        int q0 = flat.firstRow(ph);
        int r0 = flat.firstCol(ph);
        empty[ph] = flat.endRow(ph) <= q0 || flat.endCol(ph) <= r0;
        int span = (flat.endRow(ph) - 1) * flat.wq + flat.endCol(ph) - q0 * flat.wq - r0;
        first[ph] = q0 * flat.wq + r0;
        positions[ph] = roundUp(Math.max(1, span), FlatCorrelation.positionAlign());
        most = Math.max(most, positions[ph]);
        far = Math.max(far, first[ph] + positions[ph] + flat.maxShift());
      }
      longest = most;
      reach = far;
      zeroFirst = flat.leavesPixelsUnread();
    }

    /**
     * {@code dx} of image n from its output gradient, stored from {@code dyp[from + maxShift]} with
     * zeros around it: each phase's correlation, scattered back to the input pixels.
     */
    void run(
        FlatLayout flat,
        int filters,
        int c,
        float[] dyp,
        int from,
        int dyStride,
        float[] dxp,
        float[] dx,
        int n,
        boolean simd) {
      int dxOff = n * c * flat.g.inPlane();
      if (zeroFirst) {
        Arrays.fill(dx, dxOff, dxOff + c * flat.g.inPlane(), 0f);
      }
      for (int ph = 0; ph < phases; ph++) {
        if (empty[ph]) {
          continue;
        }
        int t = taps[ph].length;
        for (int cb = 0; cb < c; cb += F4) {
          FlatCorrelation.forward(
              dyp,
              from + first[ph],
              dyStride,
              filters,
              taps[ph],
              packed[ph],
              cb * filters * t,
              dxp,
              BASE + cb * positions[ph],
              positions[ph],
              positions[ph],
              simd);
        }
        flat.scatterPhase(ph, dxp, BASE, positions[ph], first[ph], dx, dxOff, c);
      }
    }
  }

  /**
   * Offsets, from a phase position, of the output-gradient entries its gradient sums: tap {@code
   * (dq, dr)} of phase ph reads output {@code (q − dq, r − dr)}, stored shifted by {@code (maxDq,
   * maxDr)}.
   */
  private static int[] backwardTaps(FlatLayout flat, int ph) {
    return IntStream.range(0, flat.tapPhase.length)
        .filter(t -> flat.tapPhase[t] == ph)
        .map(t -> (flat.maxDq - flat.tapRow[t]) * flat.wq + flat.maxDr - flat.tapCol[t])
        .toArray();
  }

  /**
   * The kernel of the input gradient for phase ph: channels become filters, {@code [C/4][F][T][4]}
   * holding {@code w[f, c, tap]} for the phase's taps in kernel order, zero for padding channels.
   */
  private static float[] packTransposed(
      float[] w, int filters, int channels, FlatLayout flat, int ph, int t) {
    int kt = flat.tapPhase.length;
    float[] packed = new float[roundUp(channels, F4) * filters * t];
    for (int ci = 0; ci < channels; ci++) {
      int cb = ci - ci % F4;
      for (int f = 0; f < filters; f++) {
        int k = 0;
        for (int tap = 0; tap < kt; tap++) {
          if (flat.tapPhase[tap] == ph) {
            packed[((cb * filters + f * F4) * t) + k * F4 + (ci - cb)] =
                w[(f * channels + ci) * kt + tap];
            k++;
          }
        }
      }
    }
    return packed;
  }

  /** Weights in blocks of 4 filters, {@code [F/4][C][T][4]}, zero for the padding filters. */
  private static float[] packFilters(float[] w, int filters, int channels, int t) {
    float[] packed = new float[roundUp(filters, F4) * channels * t];
    for (int f = 0; f < filters; f++) {
      int fb = f - f % F4;
      for (int ci = 0; ci < channels; ci++) {
        for (int k = 0; k < t; k++) {
          packed[((fb * channels + ci * F4) * t) + k * F4 + (f - fb)] =
              w[(f * channels + ci) * t + k];
        }
      }
    }
    return packed;
  }

  private static int minChunk(FlatLayout flat, int filters, int channels) {
    long work = (long) filters * channels * flat.taps.length * flat.outPositions;
    return (int) Math.max(1, (1 << 15) / Math.max(1, work));
  }

  private static int roundUp(int v, int m) {
    return FlatLayout.roundUp(v, m);
  }
}
