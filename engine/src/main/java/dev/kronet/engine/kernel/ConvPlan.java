package dev.kronet.engine.kernel;

/**
 * The kernels one convolution runs, one per pass, as {@link ConvPlanner} chose them.
 *
 * @param forward computes the output
 * @param inputGradient computes {@code ∂L/∂x}
 * @param weightGradient computes {@code ∂L/∂w}
 */
public record ConvPlan(ConvKernel forward, ConvKernel inputGradient, ConvKernel weightGradient) {

  /**
   * True when both gradients are {@link DirectConv}'s: wanted together, they come from one pass
   * that spreads the output gradient once ({@link DirectConv#backward}).
   */
  public boolean fusedBackward() {
    return inputGradient == ConvKernel.DIRECT && weightGradient == ConvKernel.DIRECT;
  }

  /** {@code forward / input gradient / weight gradient} by {@link ConvKernel#id()}. */
  @Override
  public String toString() {
    return forward.id() + " / " + inputGradient.id() + " / " + weightGradient.id();
  }
}
