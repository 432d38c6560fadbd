package dev.kronet.training.models;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;

/** Helpers shared by the zoo's networks: dotted paths, factory calls, size and input checks. */
final class ZooParts {
  private ZooParts() {}

  /** {@code prefix.name}, or {@code name} at the root, as PyTorch joins module names. */
  static String path(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /**
   * A {@code kernel × kernel} convolution with "same"-style padding {@code kernel / 2} (odd kernels
   * only in the zoo), built by {@code factory} under the dotted path {@code prefix.name} with a
   * generator forked for this layer alone.
   */
  static Module conv(
      ConvFactory factory,
      String prefix,
      String name,
      int in,
      int out,
      int kernel,
      int stride,
      int groups,
      boolean bias,
      Rng rng) {
    String full = path(prefix, name);
    ConvSpec spec = ConvSpec.of(stride, kernel / 2, 1, groups);
    Module m = factory.create(full, in, out, kernel, spec, bias, rng.fork());
    if (m == null) {
      throw new KronetException(
          "ConvFactory returned null for '"
              + full
              + "' ("
              + in
              + "→"
              + out
              + ", "
              + kernel
              + "×"
              + kernel
              + "); expected a module");
    }
    return m;
  }

  /** Checks that {@code x} is a batch {@code [N, inChannels, H, W]} the model can take. */
  static void checkInput(String model, Tensor x, int inChannels) {
    int[] s = x.shape();
    if (s.length != 4 || s[1] != inChannels || s[0] < 1 || s[2] < 1 || s[3] < 1) {
      throw new KronetException(
          model
              + ": input has shape "
              + Shapes.format(s)
              + "; expected [N, "
              + inChannels
              + ", H, W] with N, H, W ≥ 1");
    }
  }

  /** Refuses class and channel counts below 1, naming the model. */
  static void checkSizes(String model, int inChannels, int numClasses) {
    if (inChannels < 1 || numClasses < 1) {
      throw new KronetException(
          model
              + ": in_channels "
              + inChannels
              + " and num_classes "
              + numClasses
              + "; expected both ≥ 1");
    }
  }
}
