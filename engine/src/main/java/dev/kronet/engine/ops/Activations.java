package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.ActivationKernel;

/**
 * Element-wise activations with PyTorch's definitions, including the derivative chosen at each kink
 * (documented in {@link ActivationKernel}). Each op saves what its backward needs (the input, or
 * for sigmoid the output) and records it on the tape.
 */
public final class Activations {
  private Activations() {}

  /** relu(x) = max(x, 0); derivative 1 where x &gt; 0, else 0 (0 at x = 0). */
  public static Tensor relu(Tensor x) {
    int n = x.numel();
    DenseView in = DenseView.of(x);
    float[] out = new float[n];
    ActivationKernel.relu(out, in.data(), in.offset(), n);
    return Tensor.fromOp(
        "relu",
        out,
        x.shape(),
        g -> {
          float[] gx = new float[n];
          ActivationKernel.reluBackward(gx, g.contiguousData(), in.data(), in.offset(), n);
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }

  /** relu6(x) = min(max(x, 0), 6); derivative 1 strictly inside (0, 6), else 0. */
  public static Tensor relu6(Tensor x) {
    int n = x.numel();
    DenseView in = DenseView.of(x);
    float[] out = new float[n];
    ActivationKernel.relu6(out, in.data(), in.offset(), n);
    return Tensor.fromOp(
        "relu6",
        out,
        x.shape(),
        g -> {
          float[] gx = new float[n];
          ActivationKernel.relu6Backward(gx, g.contiguousData(), in.data(), in.offset(), n);
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }

  /** leaky_relu(x) = x for x &gt; 0, else slope·x; derivative {@code slope} at x = 0. */
  public static Tensor leakyRelu(Tensor x, float negativeSlope) {
    if (!Float.isFinite(negativeSlope)) {
      throw new KronetException(
          "leakyRelu: negativeSlope must be finite, got "
              + negativeSlope
              + " (PyTorch default 0.01)");
    }
    int n = x.numel();
    DenseView in = DenseView.of(x);
    float[] out = new float[n];
    ActivationKernel.leakyRelu(out, in.data(), in.offset(), n, negativeSlope);
    return Tensor.fromOp(
        "leakyRelu",
        out,
        x.shape(),
        g -> {
          float[] gx = new float[n];
          ActivationKernel.leakyReluBackward(
              gx, g.contiguousData(), in.data(), in.offset(), n, negativeSlope);
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }

  /** sigmoid(x) = 1/(1 + e^−x); derivative y(1 − y) from the saved output y. */
  public static Tensor sigmoid(Tensor x) {
    int n = x.numel();
    DenseView in = DenseView.of(x);
    float[] out = new float[n];
    ActivationKernel.sigmoid(out, in.data(), in.offset(), n);
    return Tensor.fromOp(
        "sigmoid",
        out,
        x.shape(),
        g -> {
          float[] gx = new float[n];
          ActivationKernel.sigmoidBackward(gx, g.contiguousData(), out, n);
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }

  /**
   * hardswish(x) = x·relu6(x + 3)/6 (Howard et al., MobileNetV3); derivative 0 below −3, x/3 + 1/2
   * on [−3, 3] (both ends included, as in PyTorch), 1 above 3.
   */
  public static Tensor hardswish(Tensor x) {
    int n = x.numel();
    DenseView in = DenseView.of(x);
    float[] out = new float[n];
    ActivationKernel.hardswish(out, in.data(), in.offset(), n);
    return Tensor.fromOp(
        "hardswish",
        out,
        x.shape(),
        g -> {
          float[] gx = new float[n];
          ActivationKernel.hardswishBackward(gx, g.contiguousData(), in.data(), in.offset(), n);
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }
}
