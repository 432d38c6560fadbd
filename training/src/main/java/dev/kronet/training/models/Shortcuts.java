package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Sequential;

/** The residual shortcut of the ResNet blocks. */
final class Shortcuts {
  private Shortcuts() {}

  /**
   * {@code Sequential(conv1×1(in→out, stride), BatchNorm2d(out))} named {@code path.shortcut.0} and
   * {@code path.shortcut.1} when the block changes the shape, else an empty {@code Sequential}: the
   * identity, registered anyway so that the module tree mirrors PyTorch's {@code nn.Sequential()}.
   */
  static Sequential projection(
      String path, int in, int out, int stride, ConvFactory factory, Rng rng) {
    if (stride == 1 && in == out) {
      return new Sequential();
    }
    String prefix = ZooParts.path(path, "shortcut");
    return new Sequential(
        ZooParts.conv(factory, prefix, "0", in, out, 1, stride, 1, false, rng),
        new BatchNorm2d(out));
  }
}
