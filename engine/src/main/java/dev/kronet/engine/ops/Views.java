package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import java.util.Arrays;

/**
 * Shape ops that move no data where they can: reshape, permute/transpose, slice, expand,
 * (un)squeeze, flatten, and contiguous(). Each records the backward rule that undoes it.
 */
public final class Views {
  private Views() {}

  public static Tensor contiguous(Tensor x) {
    return Tensor.fromOp("contiguous", x.toArray(), x.shape(), g -> new Tensor[] {g}, x);
  }

  public static Tensor reshape(Tensor x, int... newShape) {
    int[] from = x.shape();
    int[] to = inferShape(from, newShape);
    Tensor c = x.contiguous();
    Tensor out = Tensor.view(c.data(), c.offset(), to, Shapes.contiguousStrides(to));
    return Tensor.attach(out, "reshape", g -> new Tensor[] {g.reshape(from)}, c);
  }

  private static int[] inferShape(int[] from, int[] requested) {
    int[] to = requested.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < to.length; i++) {
      if (to[i] == -1) {
        if (infer >= 0) {
          throw new KronetException(
              "reshape " + Shapes.format(requested) + ": only one -1 allowed");
        }
        infer = i;
      } else if (to[i] < 0) {
        throw new KronetException("reshape " + Shapes.format(requested) + ": negative dimension");
      } else {
        known *= to[i];
      }
    }
    int n = Shapes.numel(from);
    if (infer >= 0) {
      if (known == 0 || n % known != 0) {
        throw new KronetException(
            "cannot reshape "
                + Shapes.format(from)
                + " ("
                + n
                + " elements) to "
                + Shapes.format(requested));
      }
      to[infer] = (int) (n / known);
    } else if (known != n) {
      throw new KronetException(
          "cannot reshape "
              + Shapes.format(from)
              + " ("
              + n
              + " elements) to "
              + Shapes.format(requested)
              + " ("
              + known
              + " elements)");
    }
    return to;
  }

  public static Tensor permute(Tensor x, int... axes) {
    int rank = x.dim();
    if (axes.length != rank) {
      throw new KronetException(
          "permute "
              + Arrays.toString(axes)
              + ": need "
              + rank
              + " axes for shape "
              + Shapes.format(x.shape()));
    }
    int[] shape = x.shape();
    int[] strides = x.strides();
    int[] newShape = new int[rank];
    int[] newStrides = new int[rank];
    int[] inverse = new int[rank];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      int a = Shapes.axis(axes[i], rank);
      if (seen[a]) {
        throw new KronetException("permute " + Arrays.toString(axes) + ": axis " + a + " repeated");
      }
      seen[a] = true;
      newShape[i] = shape[a];
      newStrides[i] = strides[a];
      inverse[a] = i;
    }
    Tensor out = Tensor.view(x.data(), x.offset(), newShape, newStrides);
    return Tensor.attach(out, "permute", g -> new Tensor[] {g.permute(inverse)}, x);
  }

  public static Tensor transpose(Tensor x, int a, int b) {
    int rank = x.dim();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    int aa = Shapes.axis(a, rank);
    int bb = Shapes.axis(b, rank);
    axes[aa] = bb;
    axes[bb] = aa;
    return permute(x, axes);
  }

  public static Tensor slice(Tensor x, int axis, int start, int end) {
    int[] shape = x.shape();
    int a = Shapes.axis(axis, shape.length);
    if (start < 0 || end > shape[a] || start > end) {
      throw new KronetException(
          "slice ["
              + start
              + ", "
              + end
              + ") is out of range for axis "
              + a
              + " of shape "
              + Shapes.format(shape));
    }
    int[] strides = x.strides();
    int[] newShape = shape.clone();
    newShape[a] = end - start;
    Tensor out = Tensor.view(x.data(), x.offset() + start * strides[a], newShape, strides);
    return Tensor.attach(
        out,
        "slice",
        g -> {
          Tensor full = Tensor.zeros(shape);
          scatterInto(full.slice(a, start, end), g);
          return new Tensor[] {full};
        },
        x);
  }

  /** Writes the values of {@code src} into the (strided) view {@code dst}. */
  public static void scatterInto(Tensor dst, Tensor src) {
    dev.kronet.engine.kernel.Strided.scatter(
        src.contiguousData(), 0, dst.data(), dst.offset(), dst.shape(), dst.strides());
  }

  public static Tensor expand(Tensor x, int... newShape) {
    int[] shape = x.shape();
    int[] strides = x.strides();
    int rank = newShape.length;
    if (rank < shape.length) {
      throw new KronetException(
          "expand " + Shapes.format(newShape) + ": fewer dimensions than " + Shapes.format(shape));
    }
    int[] outStrides = new int[rank];
    int lead = rank - shape.length;
    for (int i = 0; i < rank; i++) {
      int src = i < lead ? 1 : shape[i - lead];
      if (src == newShape[i]) {
        outStrides[i] = i < lead ? 0 : strides[i - lead];
      } else if (src == 1) {
        outStrides[i] = 0;
      } else {
        throw new KronetException(
            "cannot expand " + Shapes.format(shape) + " to " + Shapes.format(newShape));
      }
    }
    Tensor out = Tensor.view(x.data(), x.offset(), newShape, outStrides);
    return Tensor.attach(out, "expand", g -> new Tensor[] {sumTo(g, shape)}, x);
  }

  /**
   * Sums {@code g} over the dimensions that broadcasting added or stretched, giving a tensor of
   * {@code shape}: the backward of every broadcasting op. Records nothing.
   */
  public static Tensor sumTo(Tensor g, int[] shape) {
    int[] gShape = g.shape();
    if (Arrays.equals(gShape, shape)) {
      return g;
    }
    int rank = gShape.length;
    int lead = rank - shape.length;
    int[] targetStrides = new int[rank];
    int[] contiguous = Shapes.contiguousStrides(shape);
    for (int i = lead; i < rank; i++) {
      targetStrides[i] = shape[i - lead] == 1 ? 0 : contiguous[i - lead];
    }
    float[] src = g.contiguousData();
    float[] out = new float[Shapes.numel(shape)];
    int[] index = new int[rank];
    int p = 0;
    for (float v : src) {
      out[p] += v;
      for (int k = rank - 1; k >= 0; k--) {
        index[k]++;
        p += targetStrides[k];
        if (index[k] < gShape[k]) {
          break;
        }
        p -= targetStrides[k] * gShape[k];
        index[k] = 0;
      }
    }
    return Tensor.wrap(out, shape);
  }

  public static Tensor unsqueeze(Tensor x, int axis) {
    int[] shape = x.shape();
    int a = axis < 0 ? axis + shape.length + 1 : axis;
    if (a < 0 || a > shape.length) {
      throw new KronetException(
          "unsqueeze axis " + axis + " is out of range for shape " + Shapes.format(shape));
    }
    int[] to = new int[shape.length + 1];
    for (int i = 0, j = 0; i < to.length; i++) {
      to[i] = i == a ? 1 : shape[j++];
    }
    return reshape(x, to);
  }

  public static Tensor squeeze(Tensor x, int axis) {
    int[] shape = x.shape();
    int a = Shapes.axis(axis, shape.length);
    if (shape[a] != 1) {
      throw new KronetException(
          "squeeze axis "
              + axis
              + " has size "
              + shape[a]
              + " (expected 1) in shape "
              + Shapes.format(shape));
    }
    int[] to = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != a) {
        to[j++] = shape[i];
      }
    }
    return reshape(x, to);
  }

  public static Tensor flatten(Tensor x, int startAxis) {
    int[] shape = x.shape();
    int a = Shapes.axis(startAxis, shape.length);
    int[] to = Arrays.copyOf(shape, a + 1);
    int n = 1;
    for (int i = a; i < shape.length; i++) {
      n *= shape[i];
    }
    to[a] = n;
    return reshape(x, to);
  }
}
