package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;

/**
 * Builds every convolution of a model zoo network, so that a compressed variant (Kronecker, SVD,
 * Tucker) is built directly with its replacement layers: kronet modules hold their children in
 * final fields, which makes swapping modules after construction impossible. A factory decides per
 * layer from its dotted state-dict path, e.g. keep {@code "conv1"} dense and factorise {@code
 * "layer2.0.conv1"}.
 *
 * <p>Each model calls {@link #create} once per convolution, in state-dict order, with a fresh
 * {@link Rng} forked for that layer, so the layers a factory keeps dense get the same
 * initialisation whatever the other layers consume.
 */
@FunctionalInterface
public interface ConvFactory {
  /** Builds the convolution at dotted path name (e.g. "layer1.0.conv1"). */
  Module create(String name, int in, int out, int kernel, ConvSpec spec, boolean bias, Rng rng);

  /** Plain {@link Conv2d} everywhere: the uncompressed network. */
  ConvFactory DENSE =
      (name, in, out, k, spec, bias, rng) -> new Conv2d(in, out, k, k, spec, bias, rng);
}
