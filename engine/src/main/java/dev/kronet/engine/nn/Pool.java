package dev.kronet.engine.nn;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Pooling;
import java.util.function.UnaryOperator;

/** Parameter-free pooling and reshaping layers: max/avg pooling, adaptive pooling, flatten. */
public final class Pool extends Module {
  private final String description;
  private final UnaryOperator<Tensor> op;

  private Pool(String description, UnaryOperator<Tensor> op) {
    this.description = description;
    this.op = op;
  }

  public static Pool max(int kernel, int stride, int padding) {
    return new Pool(
        "MaxPool2d(kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ")",
        x -> Pooling.maxPool2d(x, kernel, stride, padding));
  }

  public static Pool avg(int kernel, int stride, int padding) {
    return new Pool(
        "AvgPool2d(kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ")",
        x -> Pooling.avgPool2d(x, kernel, stride, padding));
  }

  public static Pool adaptiveAvg(int outH, int outW) {
    return new Pool(
        "AdaptiveAvgPool2d(output_size=(" + outH + ", " + outW + "))",
        x -> Pooling.adaptiveAvgPool2d(x, outH, outW));
  }

  /** [N, C, …] → [N, C·…], PyTorch's {@code nn.Flatten()}. */
  public static Pool flatten() {
    return new Pool("Flatten(start_dim=1)", x -> x.flatten(1));
  }

  @Override
  public Tensor forward(Tensor x) {
    return op.apply(x);
  }

  @Override
  public String toString() {
    return description;
  }
}
