package dev.kronet.training.optim;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and weight decay, following
 * PyTorch's {@code torch.optim.SGD} exactly so that recipes transfer: with g = grad + wd·p,
 *
 * <pre>
 *   b ← g                          on the first step
 *   b ← μ·b + (1 − dampening)·g    afterwards
 *   d = g + μ·b  (Nesterov)   or   d = b
 *   p ← p − lr·d
 * </pre>
 *
 * The momentum buffers are the optimiser's state; {@link #state()} exposes them by parameter name
 * for checkpoints.
 */
public final class Sgd {
  private final List<ParamGroup> groups;
  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final Map<String, float[]> buffers = new LinkedHashMap<>();

  public Sgd(List<ParamGroup> groups, double momentum, double dampening, boolean nesterov) {
    if (momentum < 0) {
      throw new KronetException("SGD momentum must be ≥ 0, got " + momentum);
    }
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new KronetException("Nesterov momentum needs momentum > 0 and dampening 0");
    }
    this.groups = List.copyOf(groups);
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
  }

  /** Applies one update with learning rate {@code lr} to every parameter that has a gradient. */
  public void step(double lr) {
    for (ParamGroup group : groups) {
      float wd = (float) group.weightDecay();
      for (NamedParameter np : group.params()) {
        Tensor p = np.tensor();
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        if (!p.isContiguous()) {
          throw new KronetException("SGD: parameter " + np.name() + " is not contiguous");
        }
        float[] w = p.data();
        int off = p.offset();
        float[] g = grad.contiguousData();
        int n = g.length;
        float[] buf = momentum == 0 ? null : buffers.get(np.name());
        boolean first = momentum != 0 && buf == null;
        if (first) {
          buf = new float[n];
          buffers.put(np.name(), buf);
        }
        float mu = (float) momentum;
        float damp = (float) (1 - dampening);
        float rate = (float) lr;
        for (int i = 0; i < n; i++) {
          float d = g[i] + wd * w[off + i];
          if (buf != null) {
            buf[i] = first ? d : mu * buf[i] + damp * d;
            d = nesterov ? d + mu * buf[i] : buf[i];
          }
          w[off + i] -= rate * d;
        }
      }
    }
  }

  /** Clears the gradient of every parameter (sets it to null, like {@code set_to_none=True}). */
  public void zeroGrad() {
    for (ParamGroup group : groups) {
      for (NamedParameter np : group.params()) {
        np.tensor().zeroGrad();
      }
    }
  }

  /** Momentum buffers by parameter name, as tensors shaped like their parameters. */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParamGroup group : groups) {
      for (NamedParameter np : group.params()) {
        float[] buf = buffers.get(np.name());
        if (buf != null) {
          out.put(np.name(), Tensor.of(buf, np.tensor().shape()));
        }
      }
    }
    return out;
  }

  /** Restores momentum buffers saved by {@link #state()}; unknown names or shapes are errors. */
  public void loadState(Map<String, Tensor> state) {
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (ParamGroup group : groups) {
      for (NamedParameter np : group.params()) {
        byName.put(np.name(), np.tensor());
      }
    }
    buffers.clear();
    for (var e : state.entrySet()) {
      Tensor p = byName.get(e.getKey());
      if (p == null) {
        throw new KronetException(
            "optimizer state names parameter '" + e.getKey() + "', which the model does not have");
      }
      if (!java.util.Arrays.equals(p.shape(), e.getValue().shape())) {
        throw new KronetException(
            "optimizer state for '"
                + e.getKey()
                + "' has shape "
                + Shapes.format(e.getValue().shape())
                + ", the parameter has "
                + Shapes.format(p.shape()));
      }
      buffers.put(e.getKey(), e.getValue().toArray());
    }
  }
}
