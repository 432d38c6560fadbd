package dev.kronet.gkpd.search;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;

/**
 * A convolution layer to compress: its name, its weight {@code [F, C, kh, kw]} and the geometry
 * (input size, stride, padding) that fixes its output size and so its MACs.
 */
public record LayerSpec(String name, DoubleTensor weight, ConvSetting geometry) {
  public LayerSpec {
    if (weight.rank() != 4) {
      throw new KronetException(
          "layer '"
              + name
              + "': weight has shape "
              + Shapes.format(weight.shape())
              + ", expected [F, C, kh, kw]");
    }
    ConvShape s = ConvShape.of(weight.shape());
    geometry.outH(s.kh());
    geometry.outW(s.kw());
  }

  /** A layer from float32 weights of {@code shape} {@code [F, C, kh, kw]}. */
  public static LayerSpec ofFloats(String name, float[] weight, int[] shape, ConvSetting g) {
    return new LayerSpec(name, DoubleTensor.ofFloats(weight, shape), g);
  }

  public ConvShape shape() {
    return ConvShape.of(weight.shape());
  }
}
