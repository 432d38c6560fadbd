package dev.kronet.engine.nn;

import dev.kronet.engine.Tensor;
import java.util.List;

/** Modules applied one after another; the children are named "0", "1", … as in PyTorch. */
public final class Sequential extends Module {
  private final List<Module> layers;

  public Sequential(Module... layers) {
    this(List.of(layers));
  }

  public Sequential(List<? extends Module> layers) {
    for (int i = 0; i < layers.size(); i++) {
      registerModule(Integer.toString(i), layers.get(i));
    }
    this.layers = List.copyOf(layers);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor y = x;
    for (Module m : layers) {
      y = m.forward(y);
    }
    return y;
  }

  public Module get(int index) {
    return layers.get(index);
  }

  public int size() {
    return layers.size();
  }
}
