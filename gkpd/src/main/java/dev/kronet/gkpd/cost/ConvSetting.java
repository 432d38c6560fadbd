package dev.kronet.gkpd.cost;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.ops.ConvSpec;

/**
 * Where a convolution's weights are applied, as the cost model needs it: the input height and width
 * and the convolution's {@link ConvSpec} (strides, per-side padding and dilation, each axis on its
 * own). The output size for a {@code kh × kw} kernel is the spec's, as the layer computes it.
 */
public record ConvSetting(int inH, int inW, ConvSpec spec) {
  public ConvSetting {
    if (inH < 1 || inW < 1 || spec == null) {
      throw new KronetException(
          "a convolution setting needs an input of at least 1×1 and a spec, got input "
              + inH
              + "×"
              + inW
              + " and spec "
              + spec);
    }
  }

  /** The same stride and zero padding on both axes and sides, dilation 1. */
  public static ConvSetting of(int inH, int inW, int stride, int padding) {
    if (stride < 1 || padding < 0) {
      throw new KronetException(
          "a convolution setting needs stride ≥ 1 and padding ≥ 0, got stride "
              + stride
              + " and padding "
              + padding);
    }
    return new ConvSetting(inH, inW, ConvSpec.of(stride, padding));
  }

  /** Stride-1 "same" setting for odd kernels: padding = (k − 1) / 2 for a k×k kernel. */
  public static ConvSetting same(int inH, int inW, int k) {
    return of(inH, inW, 1, (k - 1) / 2);
  }

  public int outH(int kh) {
    return checked("height", spec.outHeight(inH, kh), inH, kh);
  }

  public int outW(int kw) {
    return checked("width", spec.outWidth(inW, kw), inW, kw);
  }

  private int checked(String axis, int out, int in, int k) {
    if (out < 1) {
      throw new KronetException(
          "a kernel of "
              + axis
              + " "
              + k
              + " does not fit an input of "
              + axis
              + " "
              + in
              + " with "
              + spec);
    }
    return out;
  }
}
