package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;

/**
 * A 2-d convolution layer, PyTorch's {@code nn.Conv2d}: {@code weight} [F, C/groups, kh, kw], an
 * optional {@code bias} [F], initialised as PyTorch does (Kaiming-uniform with a = √5).
 */
public final class Conv2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final ConvSpec spec;
  private final Tensor weight;
  private final Tensor bias;

  public Conv2d(
      int inChannels, int outChannels, int kh, int kw, ConvSpec spec, boolean bias, Rng rng) {
    if (inChannels < 1 || outChannels < 1 || kh < 1 || kw < 1) {
      throw new KronetException(
          "Conv2d("
              + inChannels
              + ", "
              + outChannels
              + ", "
              + kh
              + "×"
              + kw
              + "): channels and kernel sizes must be ≥ 1");
    }
    if (inChannels % spec.groups() != 0 || outChannels % spec.groups() != 0) {
      throw new KronetException(
          "Conv2d: groups="
              + spec.groups()
              + " must divide in_channels="
              + inChannels
              + " and out_channels="
              + outChannels);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.spec = spec;
    this.weight =
        registerParameter("weight", Tensor.zeros(outChannels, inChannels / spec.groups(), kh, kw));
    this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
    Init.defaultConvOrLinear(weight, this.bias, rng);
  }

  /** A square kernel with equal stride and padding on every side. */
  public Conv2d(
      int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias, Rng rng) {
    this(inChannels, outChannels, kernel, kernel, ConvSpec.of(stride, padding), bias, rng);
  }

  @Override
  public Tensor forward(Tensor x) {
    return Convolution.conv2d(x, weight, bias, spec);
  }

  public Tensor weight() {
    return weight;
  }

  /** The bias, or {@code null} when the layer has none. */
  public Tensor bias() {
    return bias;
  }

  public ConvSpec spec() {
    return spec;
  }

  public int inChannels() {
    return inChannels;
  }

  public int outChannels() {
    return outChannels;
  }

  public int kernelHeight() {
    return weight.size(2);
  }

  public int kernelWidth() {
    return weight.size(3);
  }

  @Override
  protected String extraRepr() {
    return inChannels
        + ", "
        + outChannels
        + ", kernel_size=("
        + kernelHeight()
        + ", "
        + kernelWidth()
        + "), "
        + spec
        + (bias == null ? ", bias=False" : "");
  }
}
