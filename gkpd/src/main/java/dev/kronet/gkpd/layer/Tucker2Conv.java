package dev.kronet.gkpd.layer;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.baseline.Tucker2;
import dev.kronet.gkpd.baseline.Tucker2Factors;
import dev.kronet.gkpd.cost.ConvShape;

/**
 * The Tucker-2 baseline as a drop-in layer (Kim et al. 2016): a 1×1 convolution C→r_c (child {@code
 * first}), the kh×kw core r_c→r_f with the original stride, padding and dilation ({@code core}),
 * and a 1×1 convolution r_f→F carrying the original bias ({@code last}). The first projection runs
 * on the unpadded input: it is linear without a bias, so projecting and then zero-padding equals
 * padding and then projecting.
 */
public final class Tucker2Conv extends Module {
  private final Conv2d first;
  private final Conv2d core;
  private final Conv2d last;

  private Tucker2Conv(Conv2d first, Conv2d core, Conv2d last) {
    this.first = registerModule("first", first);
    this.core = registerModule("core", core);
    this.last = registerModule("last", last);
  }

  /** The HOSVD Tucker-2 of {@code conv}'s weight with ranks (r_c, r_f), as three convolutions. */
  public static Tucker2Conv fromConv(Conv2d conv, int rankC, int rankF) {
    Weights.requireUngrouped("Tucker2Conv.fromConv", conv);
    Tucker2Factors t = Tucker2.decompose(Weights.toDouble(conv.weight())).factors(rankC, rankF);
    return new Tucker2Conv(
        Weights.conv(t.first(), null, ConvSpec.DEFAULT),
        Weights.conv(t.core(), null, conv.spec()),
        Weights.conv(t.last(), conv.bias(), ConvSpec.DEFAULT));
  }

  /** C·r_c + r_f·r_c·kh·kw + F·r_f weights, plus F for a bias. */
  public static long params(ConvShape w, int rankC, int rankF, boolean bias) {
    return Tucker2.params(w, rankC, rankF) + (bias ? w.f() : 0);
  }

  @Override
  public Tensor forward(Tensor x) {
    return last.forward(core.forward(first.forward(x)));
  }

  public Conv2d first() {
    return first;
  }

  public Conv2d core() {
    return core;
  }

  public Conv2d last() {
    return last;
  }
}
