package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Sequential;

/**
 * A zoo network or block that builds its convolutions through a {@link ConvFactory}: {@link
 * #registerConv} asks the factory for the layer under this module's dotted path joined with the
 * child's name and registers it under that same name, so the path the factory sees is always the
 * state-dict path.
 */
abstract class ZooModule extends Module {
  private final String path;
  private final ConvFactory factory;
  private final Rng rng;

  /**
   * @param path this module's dotted path in the network ({@code ""} for the network itself)
   */
  ZooModule(String path, ConvFactory factory, Rng rng) {
    this.path = path;
    this.factory = factory;
    this.rng = rng;
  }

  /** The convolution child {@code name} (see {@link ZooParts#conv}), built and registered. */
  protected final Module registerConv(
      String name, int in, int out, int kernel, int stride, int groups, boolean bias) {
    return registerModule(
        name, ZooParts.conv(factory, path, name, in, out, kernel, stride, groups, bias, rng));
  }

  /** This module's shortcut, {@link Shortcuts#projection}, registered as {@code shortcut}. */
  protected final Sequential registerShortcut(int in, int out, int stride) {
    return registerModule("shortcut", Shortcuts.projection(path, in, out, stride, factory, rng));
  }
}
