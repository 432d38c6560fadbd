package dev.kronet.engine;

import java.util.Arrays;

/** Small helpers over shape arrays ({@code int[]}): element counts, strides, checks, printing. */
public final class Shapes {
  private Shapes() {}

  /** Number of elements of a shape; the empty shape (a scalar) has one. */
  public static int numel(int... shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new KronetException(
          "shape " + format(shape) + " has " + n + " elements; at most 2^31-1 are supported");
    }
    return (int) n;
  }

  /** Row-major (C order) strides of a contiguous tensor of this shape. */
  public static int[] contiguousStrides(int... shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i];
    }
    return strides;
  }

  /** Rejects negative dimensions, naming the argument. */
  public static int[] checkValid(String what, int... shape) {
    for (int d : shape) {
      if (d < 0) {
        throw new KronetException(what + ": shape " + format(shape) + " has a negative dimension");
      }
    }
    return shape.clone();
  }

  /** Normalises a possibly negative axis ({@code -1} is the last) against a rank. */
  public static int axis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= Math.max(rank, 1)) {
      throw new KronetException("axis " + axis + " is out of range for a tensor of rank " + rank);
    }
    return a;
  }

  /** The shape two operands broadcast to under NumPy/PyTorch rules. */
  public static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new KronetException(
            "shapes " + format(a) + " and " + format(b) + " cannot be broadcast together");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  public static String format(int... shape) {
    return Arrays.toString(shape);
  }
}
