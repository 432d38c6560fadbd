package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;

/**
 * How a 2-d convolution walks its input: strides, zero padding on each side (top, bottom, left,
 * right; asymmetric padding is what "same" padding needs for even kernels), dilation and groups —
 * the arguments of PyTorch's {@code conv2d} beyond the tensors, with padding split per side.
 *
 * <p>Output size along one axis (PyTorch's formula): {@code floor((in + padBefore + padAfter −
 * dilation·(k − 1) − 1) / stride) + 1}.
 */
public record ConvSpec(
    int strideH,
    int strideW,
    int padTop,
    int padBottom,
    int padLeft,
    int padRight,
    int dilationH,
    int dilationW,
    int groups) {

  /** Stride 1, no padding, no dilation, one group. */
  public static final ConvSpec DEFAULT = new ConvSpec(1, 1, 0, 0, 0, 0, 1, 1, 1);

  public ConvSpec {
    requireAtLeast("strideH", strideH, 1);
    requireAtLeast("strideW", strideW, 1);
    requireAtLeast("padTop", padTop, 0);
    requireAtLeast("padBottom", padBottom, 0);
    requireAtLeast("padLeft", padLeft, 0);
    requireAtLeast("padRight", padRight, 0);
    requireAtLeast("dilationH", dilationH, 1);
    requireAtLeast("dilationW", dilationW, 1);
    requireAtLeast("groups", groups, 1);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new KronetException("ConvSpec: " + name + " must be ≥ " + min + ", got " + value);
    }
  }

  /** Square stride and the same padding on all four sides. */
  public static ConvSpec of(int stride, int padding) {
    return of(stride, padding, 1, 1);
  }

  /** Square stride, dilation, the same padding on all four sides, and groups. */
  public static ConvSpec of(int stride, int padding, int dilation, int groups) {
    return new ConvSpec(
        stride, stride, padding, padding, padding, padding, dilation, dilation, groups);
  }

  /**
   * Stride 1 with the padding that keeps the input size, PyTorch's {@code padding="same"}: the
   * dilated kernel's overhang {@code dilation·(k − 1)} is split with the smaller half before
   * (top/left) and the larger after (bottom/right), which is asymmetric for even kernels.
   */
  public static ConvSpec same(int kernelH, int kernelW, int dilationH, int dilationW, int groups) {
    if (kernelH < 1 || kernelW < 1) {
      throw new KronetException(
          "ConvSpec.same: kernel must be ≥ 1×1, got " + kernelH + "×" + kernelW);
    }
    int totalH = dilationH * (kernelH - 1);
    int totalW = dilationW * (kernelW - 1);
    return new ConvSpec(
        1,
        1,
        totalH / 2,
        totalH - totalH / 2,
        totalW / 2,
        totalW - totalW / 2,
        dilationH,
        dilationW,
        groups);
  }

  /** This spec with {@code groups} replaced. */
  public ConvSpec withGroups(int value) {
    return new ConvSpec(
        strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, value);
  }

  /** This spec with per-side padding replaced. */
  public ConvSpec withPadding(int top, int bottom, int left, int right) {
    return new ConvSpec(strideH, strideW, top, bottom, left, right, dilationH, dilationW, groups);
  }

  /** Output height for an input of {@code height} rows and a kernel of {@code kernelH} rows. */
  public int outHeight(int height, int kernelH) {
    return outputSize(height, kernelH, strideH, padTop, padBottom, dilationH);
  }

  /** Output width for an input of {@code width} columns and a kernel of {@code kernelW} columns. */
  public int outWidth(int width, int kernelW) {
    return outputSize(width, kernelW, strideW, padLeft, padRight, dilationW);
  }

  /**
   * PyTorch's output size along one axis; ≤ 0 when the dilated kernel is larger than the padded
   * input (callers report that as an error).
   */
  public static int outputSize(
      int in, int kernel, int stride, int padBefore, int padAfter, int dilation) {
    int span = in + padBefore + padAfter - dilation * (kernel - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
  }
}
