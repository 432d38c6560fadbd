package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Views;
import java.util.function.DoubleSupplier;

/**
 * Parameter initialisers, in place, each drawing from an explicit {@link Rng} in row-major order.
 * They follow {@code torch.nn.init}; {@link #defaultConvOrLinear} reproduces the distribution (not
 * the random stream) of PyTorch's default initialisation of {@code Conv2d} and {@code Linear}.
 */
public final class Init {
  private Init() {}

  /**
   * fan_in and fan_out of a weight as PyTorch computes them: for {@code [out, in, k…]} (a Linear
   * {@code [out, in]} or a conv {@code [F, C/groups, kh, kw]}) the receptive field {@code r = Πk}
   * gives {@code fanIn = in·r} and {@code fanOut = out·r}.
   */
  public record Fans(long fanIn, long fanOut) {}

  public static Fans fans(int... shape) {
    if (shape.length < 2) {
      throw new KronetException(
          "fans: a weight of shape "
              + Shapes.format(shape)
              + " has no fan-in/fan-out; expected at least 2 dimensions [out, in, …]");
    }
    long receptive = 1;
    for (int i = 2; i < shape.length; i++) {
      receptive *= shape[i];
    }
    return new Fans((long) shape[1] * receptive, (long) shape[0] * receptive);
  }

  /**
   * The half-width of {@code kaiming_uniform_(a, mode='fan_in', nonlinearity='leaky_relu')}: gain
   * {@code √(2/(1+a²))}, std {@code gain/√fanIn}, bound {@code √3·std} (the uniform on [-b, b] has
   * variance b²/3 = std²).
   */
  public static double kaimingUniformBound(long fanIn, double a) {
    if (fanIn <= 0) {
      throw new KronetException("kaimingUniform: fan_in is " + fanIn + ", expected > 0");
    }
    double gain = Math.sqrt(2.0 / (1 + a * a));
    double std = gain / Math.sqrt(fanIn);
    return Math.sqrt(3.0) * std;
  }

  /** Fills {@code w} from U[-b, b] with b = {@link #kaimingUniformBound}(fan_in of w, a). */
  public static Tensor kaimingUniform(Tensor w, double a, Rng rng) {
    if (w.numel() == 0) {
      return w; // as PyTorch: initialising a zero-element tensor is a no-op
    }
    double bound = kaimingUniformBound(fans(w.shape()).fanIn(), a);
    return uniform(w, -bound, bound, rng);
  }

  /**
   * PyTorch's default for {@code Conv2d} and {@code Linear}: the weight from kaiming_uniform with a
   * = √5, which makes its bound 1/√fan_in, and the bias (may be {@code null}) from U[-1/√fan_in,
   * 1/√fan_in].
   */
  public static void defaultConvOrLinear(Tensor weight, Tensor bias, Rng rng) {
    kaimingUniform(weight, Math.sqrt(5), rng);
    if (bias != null) {
      long fanIn = fans(weight.shape()).fanIn();
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform(bias, -bound, bound, rng);
    }
  }

  /** Fills {@code t} from U[lo, hi). */
  public static Tensor uniform(Tensor t, double lo, double hi, Rng rng) {
    if (!(lo <= hi)) {
      throw new KronetException("uniform: lo " + lo + " must not exceed hi " + hi);
    }
    return fill(t, () -> lo + (hi - lo) * rng.nextDouble());
  }

  /** Fills {@code t} from N(mean, std²). */
  public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
    if (!(std >= 0)) {
      throw new KronetException("normal: std is " + std + ", expected >= 0");
    }
    return fill(t, () -> mean + std * rng.nextGaussian());
  }

  public static Tensor constant(Tensor t, float value) {
    return fill(t, () -> value);
  }

  public static Tensor zeros(Tensor t) {
    return constant(t, 0f);
  }

  public static Tensor ones(Tensor t) {
    return constant(t, 1f);
  }

  /** Writes draws in row-major order, so a seed gives the same tensor whatever its strides. */
  private static Tensor fill(Tensor t, DoubleSupplier draw) {
    float[] v = new float[t.numel()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) draw.getAsDouble();
    }
    if (t.isContiguous()) {
      System.arraycopy(v, 0, t.data(), t.offset(), v.length);
    } else {
      Views.scatterInto(t, Tensor.wrap(v, t.shape()));
    }
    return t;
  }
}
