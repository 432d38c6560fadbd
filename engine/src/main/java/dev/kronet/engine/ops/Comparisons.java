package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.BinaryLoops;

/**
 * Elementwise comparisons (1 where true, 0 where false, broadcasting like arithmetic) and the
 * arg-max counting that classification metrics need. Nothing here is differentiable: results are
 * never recorded on the tape.
 */
public final class Comparisons {
  private Comparisons() {}

  /** 1 where a = b. */
  public static Tensor eq(Tensor a, Tensor b) {
    return Arithmetic.binary("eq", BinaryLoops.Op.EQ, a, b);
  }

  /** 1 where a &gt; b. */
  public static Tensor gt(Tensor a, Tensor b) {
    return Arithmetic.binary("gt", BinaryLoops.Op.GT, a, b);
  }

  /** 1 where a &lt; b. */
  public static Tensor lt(Tensor a, Tensor b) {
    return Arithmetic.binary("lt", BinaryLoops.Op.LT, a, b);
  }

  public static Tensor eq(Tensor a, float s) {
    return eq(a, Tensor.scalar(s));
  }

  public static Tensor gt(Tensor a, float s) {
    return gt(a, Tensor.scalar(s));
  }

  public static Tensor lt(Tensor a, float s) {
    return lt(a, Tensor.scalar(s));
  }

  /**
   * How many rows of {@code logits [N, C]} have their first maximum at the class in {@code
   * labels[n]} (top-1 correct count, as used for accuracy).
   */
  public static int countCorrectTop1(Tensor logits, int[] labels) {
    int[] shape = logits.shape();
    if (shape.length != 2 || shape[0] != labels.length) {
      throw new KronetException(
          "countCorrectTop1: logits of shape "
              + Shapes.format(shape)
              + " do not match "
              + labels.length
              + " labels (expected logits [N, C] with N = "
              + labels.length
              + ")");
    }
    if (shape[1] == 0) {
      throw new KronetException(
          "countCorrectTop1: logits " + Shapes.format(shape) + " have no classes");
    }
    int[] predicted = Reductions.argmaxIndices(logits, 1);
    int correct = 0;
    for (int n = 0; n < labels.length; n++) {
      if (labels[n] < 0 || labels[n] >= shape[1]) {
        throw new KronetException(
            "countCorrectTop1: label "
                + labels[n]
                + " at position "
                + n
                + " is outside [0, "
                + shape[1]
                + ")");
      }
      if (predicted[n] == labels[n]) {
        correct++;
      }
    }
    return correct;
  }
}
