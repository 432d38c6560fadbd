package dev.kronet.engine.ops;

import dev.kronet.engine.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ops with optional tensor arguments (a null bias, a null weight) record only the tensors that
 * exist, because the tape's input list holds no nulls; their backward then returns the gradients of
 * just those inputs, in the same order.
 */
final class OptionalInputs {
  private OptionalInputs() {}

  /** The non-null arguments, in order: what to record on the tape. */
  static Tensor[] present(Tensor... args) {
    return Arrays.stream(args).filter(Objects::nonNull).toArray(Tensor[]::new);
  }

  /**
   * {@code grads[i]} for every i where {@code args[i]} is non-null (the gradient itself may be null
   * when that input needs none): the backward result matching {@link #present(Tensor...)}.
   */
  static Tensor[] gradientsOfPresent(Tensor[] args, Tensor... grads) {
    Tensor[] out = new Tensor[present(args).length];
    int j = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i] != null) {
        out[j++] = grads[i];
      }
    }
    return out;
  }
}
