package dev.kronet.engine.nn;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Activations;
import java.util.function.UnaryOperator;

/**
 * A parameter-free elementwise layer: {@code ReLU}, {@code ReLU6}, {@code Sigmoid}, {@code
 * Hardswish}. One class rather than four because they differ only in the op they apply.
 */
public final class Activation extends Module {
  private final String name;
  private final UnaryOperator<Tensor> op;

  private Activation(String name, UnaryOperator<Tensor> op) {
    this.name = name;
    this.op = op;
  }

  public static Activation relu() {
    return new Activation("ReLU", Activations::relu);
  }

  public static Activation relu6() {
    return new Activation("ReLU6", Activations::relu6);
  }

  public static Activation sigmoid() {
    return new Activation("Sigmoid", Activations::sigmoid);
  }

  public static Activation hardswish() {
    return new Activation("Hardswish", Activations::hardswish);
  }

  @Override
  public Tensor forward(Tensor x) {
    return op.apply(x);
  }

  @Override
  public String toString() {
    return name + "()";
  }
}
