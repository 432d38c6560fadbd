package dev.kronet.engine.kernel;

/**
 * The geometry of one image passing through a 2-d convolution or pooling window, as the kernels see
 * it: {@code channels × height × width} in, {@code outH × outW} out, a {@code kernelH × kernelW}
 * window moved by the strides, dilated, and shifted by the top/left padding (the bottom/right
 * padding is implied by {@code outH}/{@code outW}). The op that builds it has already checked that
 * the numbers are consistent; kernels trust it.
 */
public record ConvGeometry(
    int channels,
    int height,
    int width,
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    int padTop,
    int padLeft,
    int dilationH,
    int dilationW,
    int outH,
    int outW) {

  /** The same convolution over {@code c} channels. */
  public ConvGeometry withChannels(int c) {
    return new ConvGeometry(
        c, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW,
        outH, outW);
  }

  /** Elements of one input plane. */
  public int inPlane() {
    return height * width;
  }

  /** Elements of one output plane, also the column count of the im2col matrix. */
  public int outPlane() {
    return outH * outW;
  }

  /** Rows of the im2col matrix: one per (channel, ky, kx). */
  public int colRows() {
    return channels * kernelH * kernelW;
  }

  /**
   * True when im2col would copy the input unchanged (1×1 kernel, stride 1, no padding), so the
   * input plane block can serve as the column matrix directly.
   */
  public boolean im2colIsIdentity() {
    return kernelH == 1
        && kernelW == 1
        && strideH == 1
        && strideW == 1
        && padTop == 0
        && padLeft == 0
        && outH == height
        && outW == width;
  }

  /**
   * First output column {@code ox} whose input column {@code ox·strideW − padLeft + kx·dilationW}
   * is ≥ 0 (may exceed outW when none is).
   */
  public int firstValidOx(int kx) {
    return firstValid(padLeft - kx * dilationW, strideW);
  }

  /** One past the last output column whose input column is < width. */
  public int endValidOx(int kx) {
    return endValid(width + padLeft - kx * dilationW, strideW, outW);
  }

  /** Input row read by output row {@code oy} at kernel row {@code ky} (may be out of range). */
  public int inputRow(int oy, int ky) {
    return oy * strideH - padTop + ky * dilationH;
  }

  /** Input column read at output column {@code ox}, kernel column {@code kx}. */
  public int inputCol(int ox, int kx) {
    return ox * strideW - padLeft + kx * dilationW;
  }

  // smallest o ≥ 0 with o·stride ≥ shift
  private static int firstValid(int shift, int stride) {
    return shift <= 0 ? 0 : (shift + stride - 1) / stride;
  }

  // smallest o ≥ 0 with o·stride ≥ limit, capped at out
  private static int endValid(int limit, int stride, int out) {
    if (limit <= 0) {
      return 0;
    }
    return Math.min(out, (limit + stride - 1) / stride);
  }
}
