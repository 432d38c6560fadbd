package dev.kronet.gkpd.cost;

import dev.kronet.engine.KronetException;

/**
 * The spatial setting of a convolution: input height and width, stride and zero padding (the same
 * on both axes and both sides; dilation 1). The output size for a kernel {@code k} is {@code ⌊(in +
 * 2·padding − k) / stride⌋ + 1}.
 */
public record ConvGeometry(int inH, int inW, int stride, int padding) {
  public ConvGeometry {
    if (inH < 1 || inW < 1 || stride < 1 || padding < 0) {
      throw new KronetException(
          "convolution geometry needs input ≥ 1×1, stride ≥ 1 and padding ≥ 0, got input "
              + inH
              + "×"
              + inW
              + ", stride "
              + stride
              + ", padding "
              + padding);
    }
  }

  /** Stride-1 "same" geometry for odd kernels: padding = (k − 1) / 2 for a k×k kernel. */
  public static ConvGeometry same(int inH, int inW, int k) {
    return new ConvGeometry(inH, inW, 1, (k - 1) / 2);
  }

  public int outH(int kh) {
    return out("height", inH, kh);
  }

  public int outW(int kw) {
    return out("width", inW, kw);
  }

  private int out(String axis, int in, int k) {
    int span = in + 2 * padding - k;
    if (span < 0) {
      throw new KronetException(
          "a kernel of "
              + axis
              + " "
              + k
              + " does not fit an input of "
              + axis
              + " "
              + in
              + " with padding "
              + padding);
    }
    return span / stride + 1;
  }
}
