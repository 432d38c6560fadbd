package dev.kronet.training.compress;

import dev.kronet.engine.nn.Module;
import java.util.List;

/** A compressed network and the per-layer account of what replaced each convolution. */
public record CompressedModel(Module model, List<LayerChoice> layers) {
  public CompressedModel {
    layers = List.copyOf(layers);
  }
}
