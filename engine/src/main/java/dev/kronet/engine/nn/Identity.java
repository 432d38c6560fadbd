package dev.kronet.engine.nn;

import dev.kronet.engine.Tensor;

/**
 * Returns its input unchanged: a placeholder where a network has an optional layer (a shortcut).
 */
public final class Identity extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return x;
  }
}
