package dev.kronet.engine.testing;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import java.util.function.Function;

/**
 * Checks an op's analytic gradients against central finite differences, like PyTorch's {@code
 * gradcheck}. The op runs in float32, so the probe is the scalar {@code L = Σ w·f(x)} with fixed
 * random weights {@code w}, summed in double; each input element is moved by ±eps and the
 * difference quotient compared with the backward result.
 *
 * <p>Tolerance: float32 rounding puts an error of about {@code 1e-7·|terms|/eps} on the quotient,
 * so with eps = 1e-2 an agreement of {@code atol + rtol·|g|} with atol = rtol = 1e-2 is a
 * meaningful check while leaving room for float noise; ops whose terms are large scale atol with
 * {@link #tolerance}.
 */
public final class GradCheck {
  private double eps = 1e-2;
  private double atol = 1e-2;
  private double rtol = 1e-2;
  private long seed = 1234;

  public static GradCheck create() {
    return new GradCheck();
  }

  public GradCheck eps(double value) {
    this.eps = value;
    return this;
  }

  public GradCheck tolerance(double absolute, double relative) {
    this.atol = absolute;
    this.rtol = relative;
    return this;
  }

  public GradCheck weightSeed(long value) {
    this.seed = value;
    return this;
  }

  /**
   * Asserts that the gradient of {@code f} w.r.t. each input that requires grad matches finite
   * differences. Inputs are used as given (set requiresGrad on those to check).
   */
  public void check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
    Tensor out = f.apply(inputs);
    Tensor w = Tensor.uniform(new Rng(seed), -1f, 1f, out.shape());
    for (Tensor in : inputs) {
      in.zeroGrad();
    }
    out.backward(w);
    for (int k = 0; k < inputs.length; k++) {
      Tensor in = inputs[k];
      if (!in.requiresGrad()) {
        continue;
      }
      if (!in.isContiguous()) {
        throw new IllegalArgumentException("GradCheck: input " + k + " must be contiguous");
      }
      Tensor analytic = in.grad();
      float[] g = analytic == null ? new float[in.numel()] : analytic.toArray();
      float[] x = in.data();
      int base = in.offset();
      for (int i = 0; i < in.numel(); i++) {
        float saved = x[base + i];
        x[base + i] = (float) (saved + eps);
        double plus = probe(f, inputs, w);
        x[base + i] = (float) (saved - eps);
        double minus = probe(f, inputs, w);
        x[base + i] = saved;
        double numeric = (plus - minus) / (2 * eps);
        double diff = Math.abs(numeric - g[i]);
        if (diff > atol + rtol * Math.abs(numeric)) {
          throw new AssertionError(
              op
                  + ": d/d(input "
                  + k
                  + ")["
                  + i
                  + "] of shape "
                  + Shapes.format(in.shape())
                  + " analytic "
                  + g[i]
                  + " vs numeric "
                  + numeric
                  + " (|diff| "
                  + diff
                  + " > "
                  + atol
                  + " + "
                  + rtol
                  + "·|numeric|)");
        }
      }
    }
  }

  private static double probe(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor w) {
    try (var s = Autograd.noGrad()) {
      float[] y = f.apply(inputs).toArray();
      float[] wv = w.data();
      double sum = 0;
      for (int i = 0; i < y.length; i++) {
        sum += (double) wv[i] * y[i];
      }
      return sum;
    }
  }
}
