package dev.kronet.bench;

import dev.kronet.engine.kernel.ConvGeometry;
import dev.kronet.engine.kernel.ConvPlan;
import dev.kronet.engine.kernel.ConvPlanner;
import dev.kronet.engine.ops.ConvSpec;

/**
 * One distinct convolution of a CIFAR-style ResNet-20 on {@code 1×28×28} inputs (no bias, as the
 * network is built with batch norm after every convolution): {@code inChannels → outChannels}, a
 * square {@code kernel}, input side {@code size}, {@code stride}, padding {@code kernel / 2}. The
 * names are the {@code layer} parameter of {@link Conv2dBenchmark} and {@link
 * KroneckerConvBenchmark}, and the first column of {@code bench/anchors/torch_conv_layers.py}.
 */
record ResNet20Conv(
    String name, int inChannels, int outChannels, int kernel, int stride, int size) {

  private static final ResNet20Conv[] ALL = {
    new ResNet20Conv("stem", 1, 16, 3, 1, 28),
    new ResNet20Conv("c16", 16, 16, 3, 1, 28),
    new ResNet20Conv("c16to32s2", 16, 32, 3, 2, 28),
    new ResNet20Conv("c32", 32, 32, 3, 1, 14),
    new ResNet20Conv("c32to64s2", 32, 64, 3, 2, 14),
    new ResNet20Conv("c64", 64, 64, 3, 1, 7),
    new ResNet20Conv("sc16to32", 16, 32, 1, 2, 28),
    new ResNet20Conv("sc32to64", 32, 64, 1, 2, 14),
  };

  /** The layer called {@code name}. */
  static ResNet20Conv named(String name) {
    for (ResNet20Conv c : ALL) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown ResNet-20 conv layer '" + name + "'");
  }

  ConvSpec spec() {
    return ConvSpec.of(stride, kernel / 2);
  }

  /** The kernels {@link ConvPlanner} picks for this layer on this machine (forward / dx / dw). */
  ConvPlan plan() {
    ConvSpec spec = spec();
    int out = spec.outHeight(size, kernel);
    int pad = kernel / 2;
    ConvGeometry g =
        new ConvGeometry(
            inChannels, size, size, kernel, kernel, stride, stride, pad, pad, 1, 1, out, out);
    return ConvPlanner.plan(g, 1, outChannels);
  }

  /** Forward multiply-adds for a batch of {@code n}. */
  long macs(int n) {
    int out = spec().outHeight(size, kernel);
    return (long) n * outChannels * inChannels * kernel * kernel * out * out;
  }
}
