package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;

/** A fully connected layer, PyTorch's {@code nn.Linear}: y = x·Wᵀ + b, W [out, in], b [out]. */
public final class Linear extends Module {
  private final Tensor weight;
  private final Tensor bias;

  public Linear(int in, int out, boolean bias, Rng rng) {
    if (in < 1 || out < 1) {
      throw new KronetException("Linear(" + in + ", " + out + "): sizes must be ≥ 1");
    }
    weight = registerParameter("weight", Tensor.zeros(out, in));
    this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
    Init.defaultConvOrLinear(weight, this.bias, rng);
  }

  @Override
  public Tensor forward(Tensor x) {
    return dev.kronet.engine.ops.Linear.linear(x, weight, bias);
  }

  public Tensor weight() {
    return weight;
  }

  public Tensor bias() {
    return bias;
  }

  public int inFeatures() {
    return weight.size(1);
  }

  public int outFeatures() {
    return weight.size(0);
  }

  @Override
  protected String extraRepr() {
    return "in_features="
        + inFeatures()
        + ", out_features="
        + outFeatures()
        + ", bias="
        + (bias != null);
  }
}
