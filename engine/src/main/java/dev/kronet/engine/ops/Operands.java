package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;

/** Boundary helpers shared by the ops: dense views of inputs, broadcast shapes and strides. */
final class Operands {
  private Operands() {}

  /** A tensor's values in row-major order starting at {@code offset} of {@code data}. */
  record Dense(float[] data, int offset) {
    /** The tensor's own storage when contiguous (no copy), else a row-major copy. */
    static Dense of(Tensor t) {
      return t.isContiguous() ? new Dense(t.data(), t.offset()) : new Dense(t.toArray(), 0);
    }
  }

  /**
   * The shape {@code a} and {@code b} broadcast to (NumPy/PyTorch rules), or a {@link
   * KronetException} naming the op and both shapes.
   */
  static int[] broadcastShape(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new KronetException(
            op
                + ": shapes "
                + Shapes.format(a)
                + " and "
                + Shapes.format(b)
                + " cannot be broadcast together (dimension "
                + i
                + " of the result: "
                + da
                + " vs "
                + db
                + "; trailing dimensions must match or be 1)");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * Strides that read {@code t} as if expanded to {@code shape} (which it broadcasts to): aligned
   * on the trailing dimension, 0 where {@code t} is missing a dimension or has size 1.
   */
  static int[] broadcastStrides(Tensor t, int[] shape) {
    int[] own = t.shape();
    int[] ownStrides = t.strides();
    int lead = shape.length - own.length;
    int[] strides = new int[shape.length];
    for (int i = lead; i < shape.length; i++) {
      strides[i] = own[i - lead] == 1 ? 0 : ownStrides[i - lead];
    }
    return strides;
  }

  /** Normalised, distinct axes (negative counts from the end), or an error naming the shape. */
  static boolean[] axisMask(String op, int[] shape, int[] axes) {
    boolean[] mask = new boolean[shape.length];
    for (int axis : axes) {
      int a = axis < 0 ? axis + shape.length : axis;
      if (a < 0 || a >= shape.length) {
        throw new KronetException(
            op
                + ": axis "
                + axis
                + " is out of range for shape "
                + Shapes.format(shape)
                + " (expected -"
                + shape.length
                + " ≤ axis < "
                + shape.length
                + ")");
      }
      if (mask[a]) {
        throw new KronetException(
            op + ": axis " + axis + " given twice for shape " + Shapes.format(shape));
      }
      mask[a] = true;
    }
    return mask;
  }

  /** One axis, normalised, or an error naming the op and the shape. */
  static int axis(String op, int[] shape, int axis) {
    return indexOf(axisMask(op, shape, new int[] {axis}));
  }

  private static int indexOf(boolean[] mask) {
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        return i;
      }
    }
    throw new IllegalStateException("empty axis mask");
  }
}
