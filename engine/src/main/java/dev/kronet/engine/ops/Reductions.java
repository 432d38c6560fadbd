package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.ReduceLoops;

/**
 * Reductions with PyTorch semantics: sum, mean and var over any set of axes (with or without
 * keeping them as size 1), max over one axis (backward to the first arg-max), argmax.
 *
 * <p>Sums accumulate in double in a fixed order ({@link ReduceLoops#sum}), so a mean over a million
 * elements is as accurate as one float rounding and equal on every run.
 *
 * <p>Axes may be negative (−1 is the last). An empty axes array reduces nothing (the result is a
 * copy); use the one-argument overloads to reduce everything.
 */
public final class Reductions {
  private Reductions() {}

  /** The sum of all elements, as a 0-d tensor. */
  public static Tensor sum(Tensor x) {
    return sum(x, allAxes(x), false);
  }

  public static Tensor sum(Tensor x, int axis, boolean keepDim) {
    return sum(x, new int[] {axis}, keepDim);
  }

  /** Sums over {@code axes}; with {@code keepDim} they stay as size 1, else they are removed. */
  public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
    return scaledSum("sum", x, axes, keepDim, false);
  }

  /** The mean of all elements, as a 0-d tensor (NaN for an empty tensor). */
  public static Tensor mean(Tensor x) {
    return mean(x, allAxes(x), false);
  }

  public static Tensor mean(Tensor x, int axis, boolean keepDim) {
    return mean(x, new int[] {axis}, keepDim);
  }

  public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
    return scaledSum("mean", x, axes, keepDim, true);
  }

  /**
   * Variance over {@code axes}: {@code Σ(x − mean)² / (n − 1)} when {@code unbiased} (PyTorch's
   * default), else divided by n. Two-pass and built from differentiable ops, so its gradient comes
   * from theirs.
   */
  public static Tensor var(Tensor x, int[] axes, boolean keepDim, boolean unbiased) {
    boolean[] mask = Operands.axisMask("var", x.shape(), axes);
    int n = 1;
    int[] shape = x.shape();
    for (int d = 0; d < shape.length; d++) {
      if (mask[d]) {
        n *= shape[d];
      }
    }
    Tensor centred = Arithmetic.sub(x, mean(x, axes, true));
    Tensor squares = sum(Arithmetic.square(centred), axes, keepDim);
    return Arithmetic.div(squares, (float) (unbiased ? n - 1 : n));
  }

  private static Tensor scaledSum(
      String op, Tensor x, int[] axes, boolean keepDim, boolean divideByCount) {
    int[] shape = x.shape();
    boolean[] mask = Operands.axisMask(op, shape, axes);
    double[] sums = ReduceLoops.sum(x.data(), x.offset(), shape, x.strides(), mask);
    long count = 1;
    for (int d = 0; d < shape.length; d++) {
      if (mask[d]) {
        count *= shape[d];
      }
    }
    double scale = divideByCount ? 1.0 / count : 1.0;
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sums[i] * scale);
    }
    int[] kept = keptShape(shape, mask);
    int[] outShape = keepDim ? kept : dropReduced(shape, mask);
    float gradScale = (float) scale;
    return Tensor.fromOp(
        op,
        out,
        outShape,
        g -> {
          Tensor spread = g.reshape(kept).expand(shape).contiguous();
          return new Tensor[] {divideByCount ? Arithmetic.mul(spread, gradScale) : spread};
        },
        x);
  }

  // ---------------------------------------------------------------- max / argmax

  /** The largest element, as a 0-d tensor; the gradient goes to its first occurrence. */
  public static Tensor max(Tensor x) {
    return max(x.reshape(-1), 0, false);
  }

  /**
   * The largest value along {@code axis} (PyTorch's {@code max(dim).values}); the gradient flows to
   * the first position holding it. NaN counts as largest.
   */
  public static Tensor max(Tensor x, int axis, boolean keepDim) {
    int[] shape = x.shape();
    int a = Operands.axis("max", shape, axis);
    AlongAxis r = maxAlong("max", x, a);
    boolean[] mask = new boolean[shape.length];
    mask[a] = true;
    int[] outShape = keepDim ? keptShape(shape, mask) : dropReduced(shape, mask);
    return Tensor.fromOp(
        "max",
        r.values,
        outShape,
        g -> {
          float[] gv = g.contiguousData();
          float[] dx = new float[Shapes.numel(shape)];
          for (int o = 0; o < r.outer; o++) {
            for (int i = 0; i < r.inner; i++) {
              int k = o * r.inner + i;
              dx[(o * r.len + r.indices[k]) * r.inner + i] += gv[k];
            }
          }
          return new Tensor[] {Tensor.wrap(dx, shape)};
        },
        x);
  }

  /**
   * Indices of the first maximum along {@code axis} as a float tensor of {@code x}'s shape without
   * that axis (floats hold indices exactly up to 2²⁴). Not differentiable: nothing is recorded.
   */
  public static Tensor argmax(Tensor x, int axis) {
    int[] shape = x.shape();
    int a = Operands.axis("argmax", shape, axis);
    int[] indices = argmaxIndices(x, a);
    float[] out = new float[indices.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = indices[i];
    }
    boolean[] mask = new boolean[shape.length];
    mask[a] = true;
    return Tensor.wrap(out, dropReduced(shape, mask));
  }

  /**
   * Indices of the first maximum along {@code axis}, in row-major order over the remaining axes
   * (for metrics: {@code argmaxIndices(logits[N, C], 1)[n]} is sample n's top-1 class).
   */
  public static int[] argmaxIndices(Tensor x, int axis) {
    return maxAlong("argmax", x, Operands.axis("argmax", x.shape(), axis)).indices;
  }

  /** Result of a max along one axis, with the [outer, len, inner] geometry it was computed in. */
  private record AlongAxis(float[] values, int[] indices, int outer, int len, int inner) {}

  private static AlongAxis maxAlong(String op, Tensor x, int a) {
    int[] shape = x.shape();
    int len = shape[a];
    if (len == 0) {
      throw new KronetException(
          op
              + ": axis "
              + a
              + " of shape "
              + Shapes.format(shape)
              + " is empty; a maximum needs at least one element");
    }
    int outer = 1;
    for (int d = 0; d < a; d++) {
      outer *= shape[d];
    }
    int inner = 1;
    for (int d = a + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    Operands.Dense d = Operands.Dense.of(x);
    float[] values = new float[outer * inner];
    int[] indices = new int[outer * inner];
    ReduceLoops.maxAlong(d.data(), d.offset(), outer, len, inner, values, indices);
    return new AlongAxis(values, indices, outer, len, inner);
  }

  // ---------------------------------------------------------------- shapes

  private static int[] allAxes(Tensor x) {
    int[] axes = new int[x.dim()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return axes;
  }

  /** The shape with reduced axes kept as size 1. */
  private static int[] keptShape(int[] shape, boolean[] mask) {
    int[] out = shape.clone();
    for (int d = 0; d < shape.length; d++) {
      if (mask[d]) {
        out[d] = 1;
      }
    }
    return out;
  }

  /** The shape with reduced axes removed. */
  private static int[] dropReduced(int[] shape, boolean[] mask) {
    int n = 0;
    for (boolean m : mask) {
      n += m ? 0 : 1;
    }
    int[] out = new int[n];
    for (int d = 0, j = 0; d < shape.length; d++) {
      if (!mask[d]) {
        out[j++] = shape[d];
      }
    }
    return out;
  }
}
