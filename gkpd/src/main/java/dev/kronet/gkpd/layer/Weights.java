package dev.kronet.gkpd.layer;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.algebra.DoubleTensor;

/** Moving weights between float32 layers and the double-precision decompositions. */
final class Weights {
  private Weights() {}

  /** A tensor's values widened to double, in its shape. */
  static DoubleTensor toDouble(Tensor t) {
    return DoubleTensor.ofFloats(t.contiguousData(), t.shape());
  }

  /** A fresh float32 leaf holding {@code d} narrowed to float. */
  static Tensor toTensor(DoubleTensor d) {
    return Tensor.wrap(d.toFloatArray(), d.shape());
  }

  /** Overwrites the (contiguous) parameter {@code p} with {@code values} of the same shape. */
  static void copyInto(Tensor p, float[] values, String what) {
    if (values.length != p.numel()) {
      throw new KronetException(
          what
              + ": "
              + values.length
              + " values do not fill a parameter of shape "
              + Shapes.format(p.shape()));
    }
    System.arraycopy(values, 0, p.data(), p.offset(), values.length);
  }

  /** A copy of a bias, or null. */
  static Tensor copyOf(Tensor bias) {
    return bias == null ? null : Tensor.wrap(bias.toArray(), bias.shape());
  }

  /**
   * A {@link Conv2d} holding exactly {@code weight [F, C, kh, kw]} and {@code bias} (nullable): the
   * layer's own initialisation is drawn from a fixed seed and then overwritten.
   */
  static Conv2d conv(DoubleTensor weight, Tensor bias, ConvSpec spec) {
    int[] s = weight.shape();
    Conv2d conv = new Conv2d(s[1], s[0], s[2], s[3], spec, bias != null, new Rng(0));
    copyInto(conv.weight(), weight.toFloatArray(), "conv weight");
    if (bias != null) {
      copyInto(conv.bias(), bias.contiguousData(), "conv bias");
    }
    return conv;
  }

  /** Rejects a grouped convolution, which none of the factorised layers here represents. */
  static void requireUngrouped(String layer, Conv2d conv) {
    if (conv.spec().groups() != 1) {
      throw new KronetException(
          layer
              + ": the convolution "
              + conv
              + " has groups="
              + conv.spec().groups()
              + "; only groups=1 weights [F, C, kh, kw] can be factorised");
    }
  }
}
