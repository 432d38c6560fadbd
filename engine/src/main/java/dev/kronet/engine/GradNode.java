package dev.kronet.engine;

/**
 * One recorded operation on the autograd tape: the op's name, the tensors it read, and its local
 * backward rule. After a backward pass the rule is dropped ({@link #free()}), which releases every
 * tensor it captured; a second pass through the same graph then fails with a clear message.
 */
public final class GradNode {
  /** The local backward rule of an op: gradient of the output → gradient of each input. */
  @FunctionalInterface
  public interface Backward {
    /**
     * Returns one gradient per input (same order as the op's inputs, same shapes); an entry may be
     * {@code null} where that input does not require a gradient. A gradient may be {@code
     * gradOutput} itself or a view of it; any other array it returns must be new and not kept by
     * the op, because a leaf takes such an array over as its grad without copying it.
     */
    Tensor[] apply(Tensor gradOutput);
  }

  private final String op;
  private final Tensor[] inputs;
  private Backward backward;

  GradNode(String op, Tensor[] inputs, Backward backward) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }

  public String op() {
    return op;
  }

  Tensor[] inputs() {
    return inputs;
  }

  boolean isFreed() {
    return backward == null;
  }

  Backward backward() {
    return backward;
  }

  void free() {
    backward = null;
  }
}
