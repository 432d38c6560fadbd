package dev.kronet.gkpd.layer;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.baseline.TruncatedSvd;
import dev.kronet.gkpd.cost.ConvShape;

/**
 * The truncated-SVD baseline as a drop-in layer (Denton et al. 2014): a kh×kw convolution C→r with
 * the original stride, padding and dilation (child {@code reduce}), then a 1×1 convolution r→F
 * carrying the original bias (child {@code expand}). Its weight product is {@link
 * TruncatedSvd#reconstruct}; at rank min(F, C·kh·kw) it reproduces the convolution.
 */
public final class SvdConv extends Module {
  private final Conv2d reduce;
  private final Conv2d expand;

  private SvdConv(Conv2d reduce, Conv2d expand) {
    this.reduce = registerModule("reduce", reduce);
    this.expand = registerModule("expand", expand);
  }

  /** The rank-{@code rank} truncated SVD of {@code conv}'s weight, as two convolutions. */
  public static SvdConv fromConv(Conv2d conv, int rank) {
    Weights.requireUngrouped("SvdConv.fromConv", conv);
    TruncatedSvd svd = TruncatedSvd.decompose(Weights.toDouble(conv.weight()));
    return new SvdConv(
        Weights.conv(svd.firstConv(rank), null, conv.spec()),
        Weights.conv(svd.secondConv(rank), conv.bias(), ConvSpec.DEFAULT));
  }

  /** r·(C·kh·kw + F) weights, plus F for a bias. */
  public static long params(ConvShape w, int rank, boolean bias) {
    return TruncatedSvd.params(w, rank) + (bias ? w.f() : 0);
  }

  @Override
  public Tensor forward(Tensor x) {
    return expand.forward(reduce.forward(x));
  }

  public Conv2d reduce() {
    return reduce;
  }

  public Conv2d expand() {
    return expand;
  }

  /** The number of intermediate channels r. */
  public int rank() {
    return reduce.outChannels();
  }
}
