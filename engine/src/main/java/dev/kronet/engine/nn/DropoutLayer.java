package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Dropout;

/** Inverted dropout in training, identity in eval; masks come from the layer's own seeded Rng. */
public final class DropoutLayer extends Module {
  private final float p;
  private final Rng rng;

  public DropoutLayer(float p, Rng rng) {
    if (!(p >= 0 && p <= 1)) {
      throw new KronetException("Dropout: p must be in [0, 1], got " + p);
    }
    this.p = p;
    this.rng = rng;
  }

  @Override
  public Tensor forward(Tensor x) {
    return Dropout.dropout(x, p, isTraining(), rng);
  }

  @Override
  public String toString() {
    return "Dropout(p=" + p + ")";
  }
}
