package dev.kronet.engine;

import dev.kronet.engine.kernel.BinaryLoops;
import dev.kronet.engine.kernel.Strided;
import dev.kronet.engine.ops.Arithmetic;
import dev.kronet.engine.ops.MatMul;
import dev.kronet.engine.ops.Reductions;
import dev.kronet.engine.ops.Views;
import java.util.Arrays;

/**
 * An n-dimensional float32 array with optional gradient tracking.
 *
 * <p>Storage is a {@code float[]} plus an offset, a shape and strides (in elements, row-major by
 * default), so that reshape, permute, transpose, slice and expand are free views where possible;
 * {@link #contiguous()} copies only when it must. Ops live in {@code dev.kronet.engine.ops}; this
 * class holds the data, the views and the autograd plumbing, and delegates the rest.
 *
 * <p>Autograd: a tensor made by an op while grad mode is on, from an input that requires grad,
 * remembers that op ({@link #gradFn()}); {@link #backward()} walks those records back to the leaves
 * and accumulates into their {@link #grad()}.
 */
public final class Tensor {
  private final float[] data;
  private final int offset;
  private final int[] shape;
  private final int[] strides;

  private boolean requiresGrad;
  private Tensor grad;
  private GradNode gradFn;

  private Tensor(float[] data, int offset, int[] shape, int[] strides) {
    this.data = data;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
  }

  // ---------------------------------------------------------------- creation

  /** Wraps {@code data} (no copy) as a contiguous tensor of {@code shape}. */
  public static Tensor wrap(float[] data, int... shape) {
    int[] s = Shapes.checkValid("Tensor.wrap", shape);
    if (Shapes.numel(s) != data.length) {
      throw new KronetException(
          "Tensor.wrap: "
              + data.length
              + " values cannot have shape "
              + Shapes.format(s)
              + " ("
              + Shapes.numel(s)
              + " elements)");
    }
    return new Tensor(data, 0, s, Shapes.contiguousStrides(s));
  }

  /** A contiguous tensor holding a copy of {@code values}. */
  public static Tensor of(float[] values, int... shape) {
    return wrap(values.clone(), shape);
  }

  /** A 1-d tensor of the given values. */
  public static Tensor vector(float... values) {
    return wrap(values.clone(), values.length);
  }

  /** A 0-d tensor (a scalar). */
  public static Tensor scalar(float value) {
    return wrap(new float[] {value});
  }

  /** A view with explicit geometry over existing storage; used by view ops. */
  public static Tensor view(float[] data, int offset, int[] shape, int[] strides) {
    return new Tensor(data, offset, shape.clone(), strides.clone());
  }

  public static Tensor zeros(int... shape) {
    return wrap(new float[Shapes.numel(Shapes.checkValid("Tensor.zeros", shape))], shape);
  }

  public static Tensor ones(int... shape) {
    return full(1f, shape);
  }

  public static Tensor full(float value, int... shape) {
    float[] d = new float[Shapes.numel(Shapes.checkValid("Tensor.full", shape))];
    Arrays.fill(d, value);
    return wrap(d, shape);
  }

  public static Tensor zerosLike(Tensor t) {
    return zeros(t.shape);
  }

  /** 0, 1, …, n-1. */
  public static Tensor arange(int n) {
    return arange(0, n, 1);
  }

  /** start, start+step, … up to (excluding) end. */
  public static Tensor arange(float start, float end, float step) {
    if (step == 0 || (end - start) / step < 0) {
      throw new KronetException(
          "arange(" + start + ", " + end + ", " + step + "): the step must move from start to end");
    }
    int n = (int) Math.ceil((end - start) / step);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = start + i * step;
    }
    return wrap(d, n);
  }

  /** Samples of N(mean, std²), drawn from {@code rng}. */
  public static Tensor normal(Rng rng, float mean, float std, int... shape) {
    float[] d = new float[Shapes.numel(Shapes.checkValid("Tensor.normal", shape))];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (mean + std * rng.nextGaussian());
    }
    return wrap(d, shape);
  }

  public static Tensor randn(Rng rng, int... shape) {
    return normal(rng, 0f, 1f, shape);
  }

  /** Samples of U[lo, hi), drawn from {@code rng}. */
  public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
    float[] d = new float[Shapes.numel(Shapes.checkValid("Tensor.uniform", shape))];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * rng.nextFloat();
    }
    return wrap(d, shape);
  }

  // ---------------------------------------------------------------- geometry

  public int[] shape() {
    return shape.clone();
  }

  public int size(int axis) {
    return shape[Shapes.axis(axis, shape.length)];
  }

  public int dim() {
    return shape.length;
  }

  public int numel() {
    return Shapes.numel(shape);
  }

  public int[] strides() {
    return strides.clone();
  }

  public int offset() {
    return offset;
  }

  /**
   * The backing storage, shared with every view of it. Element {@code (i0, i1, …)} lives at {@code
   * offset() + Σ ik·strides()[k]}; for a contiguous tensor that is {@code offset() + flat index}.
   * Writing into it bypasses autograd: it is meant for kernels, optimisers and loaders.
   */
  public float[] data() {
    return data;
  }

  /** True when the elements are laid out densely in row-major order (offset may be non-zero). */
  public boolean isContiguous() {
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  /** A contiguous tensor with the same values: this one if it already is (gradient flows). */
  public Tensor contiguous() {
    return isContiguous() ? this : Views.contiguous(this);
  }

  /** The values in row-major order as a fresh array (always a copy: safe to mutate). */
  public float[] toArray() {
    float[] out = new float[numel()];
    Strided.copy(data, offset, shape, strides, out, 0);
    return out;
  }

  /**
   * The values in row-major order: the backing array itself when contiguous from 0, else a copy.
   */
  public float[] contiguousData() {
    return isContiguous() && offset == 0 && data.length == numel() ? data : toArray();
  }

  public float get(int... index) {
    if (index.length != shape.length) {
      throw new KronetException(
          "get: " + index.length + " indices for a tensor of rank " + shape.length);
    }
    int p = offset;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new KronetException(
            "get: index "
                + Arrays.toString(index)
                + " is out of bounds for shape "
                + Shapes.format(shape));
      }
      p += index[i] * strides[i];
    }
    return data[p];
  }

  /** The single value of a one-element tensor. */
  public float item() {
    if (numel() != 1) {
      throw new KronetException(
          "item() needs a one-element tensor, got shape " + Shapes.format(shape));
    }
    return data[offset];
  }

  // ---------------------------------------------------------------- views (delegating)

  /** Same data, new shape (one dimension may be -1); a view when contiguous, else a copy. */
  public Tensor reshape(int... newShape) {
    return Views.reshape(this, newShape);
  }

  public Tensor permute(int... axes) {
    return Views.permute(this, axes);
  }

  public Tensor transpose(int a, int b) {
    return Views.transpose(this, a, b);
  }

  /** Elements {@code start ≤ i < end} along {@code axis} (a view). */
  public Tensor slice(int axis, int start, int end) {
    return Views.slice(this, axis, start, end);
  }

  /** Broadcasts size-1 dimensions to {@code newShape} without copying (stride 0). */
  public Tensor expand(int... newShape) {
    return Views.expand(this, newShape);
  }

  public Tensor unsqueeze(int axis) {
    return Views.unsqueeze(this, axis);
  }

  public Tensor squeeze(int axis) {
    return Views.squeeze(this, axis);
  }

  /** Flattens dimensions {@code startAxis..end} into one. */
  public Tensor flatten(int startAxis) {
    return Views.flatten(this, startAxis);
  }

  // ---------------------------------------------------------------- maths (delegating)
  // Thin delegates to the functional API (ops.Arithmetic, ops.Reductions, ops.MatMul), PyTorch
  // names and semantics; the kernels and backward rules live there.

  /** this + other, broadcasting. */
  public Tensor add(Tensor other) {
    return Arithmetic.add(this, other);
  }

  public Tensor add(float s) {
    return Arithmetic.add(this, s);
  }

  /** this − other, broadcasting. */
  public Tensor sub(Tensor other) {
    return Arithmetic.sub(this, other);
  }

  public Tensor sub(float s) {
    return Arithmetic.sub(this, s);
  }

  /** this · other elementwise, broadcasting. */
  public Tensor mul(Tensor other) {
    return Arithmetic.mul(this, other);
  }

  public Tensor mul(float s) {
    return Arithmetic.mul(this, s);
  }

  /** this / other elementwise, broadcasting. */
  public Tensor div(Tensor other) {
    return Arithmetic.div(this, other);
  }

  public Tensor div(float s) {
    return Arithmetic.div(this, s);
  }

  public Tensor neg() {
    return Arithmetic.neg(this);
  }

  public Tensor exp() {
    return Arithmetic.exp(this);
  }

  public Tensor log() {
    return Arithmetic.log(this);
  }

  public Tensor sqrt() {
    return Arithmetic.sqrt(this);
  }

  public Tensor pow(float exponent) {
    return Arithmetic.pow(this, exponent);
  }

  public Tensor square() {
    return Arithmetic.square(this);
  }

  public Tensor abs() {
    return Arithmetic.abs(this);
  }

  public Tensor clamp(float lo, float hi) {
    return Arithmetic.clamp(this, lo, hi);
  }

  /** The sum of all elements (a 0-d tensor). */
  public Tensor sum() {
    return Reductions.sum(this);
  }

  public Tensor sum(int axis, boolean keepDim) {
    return Reductions.sum(this, axis, keepDim);
  }

  public Tensor sum(int[] axes, boolean keepDim) {
    return Reductions.sum(this, axes, keepDim);
  }

  /** The mean of all elements (a 0-d tensor). */
  public Tensor mean() {
    return Reductions.mean(this);
  }

  public Tensor mean(int axis, boolean keepDim) {
    return Reductions.mean(this, axis, keepDim);
  }

  public Tensor mean(int[] axes, boolean keepDim) {
    return Reductions.mean(this, axes, keepDim);
  }

  /** The largest element (a 0-d tensor). */
  public Tensor max() {
    return Reductions.max(this);
  }

  /** The largest value along {@code axis}, which is removed (PyTorch's {@code max(dim).values}). */
  public Tensor max(int axis) {
    return Reductions.max(this, axis, false);
  }

  /** Indices of the first maximum along {@code axis}, as floats (see {@link Reductions#argmax}). */
  public Tensor argmax(int axis) {
    return Reductions.argmax(this, axis);
  }

  /** {@code torch.matmul}: matrix/vector/batched product. */
  public Tensor matmul(Tensor other) {
    return MatMul.matmul(this, other);
  }

  // ---------------------------------------------------------------- autograd

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf as requiring a gradient. */
  public Tensor requiresGrad(boolean value) {
    if (gradFn != null && !value) {
      throw new KronetException(
          "requiresGrad(false) on a tensor computed by '"
              + gradFn.op()
              + "': use detach() to cut it from the graph");
    }
    this.requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf, or {@code null} before any backward. */
  public Tensor grad() {
    return grad;
  }

  public void setGrad(Tensor g) {
    if (g != null && !Arrays.equals(g.shape, shape)) {
      throw new KronetException(
          "setGrad: gradient shape "
              + Shapes.format(g.shape)
              + " does not match tensor shape "
              + Shapes.format(shape));
    }
    this.grad = g;
  }

  public void zeroGrad() {
    this.grad = null;
  }

  /** The op that produced this tensor on the tape, or {@code null} for a leaf. */
  public GradNode gradFn() {
    return gradFn;
  }

  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The same data, cut from the graph. */
  public Tensor detach() {
    return new Tensor(data, offset, shape, strides);
  }

  /** Back-propagates from a one-element tensor (the loss). */
  public void backward() {
    if (numel() != 1) {
      throw new KronetException(
          "backward() without a gradient needs a one-element tensor (a loss), got shape "
              + Shapes.format(shape)
              + "; pass the output gradient explicitly");
    }
    backward(Tensor.full(1f, shape), false);
  }

  /** Back-propagates {@code gradOutput} from this tensor. */
  public void backward(Tensor gradOutput) {
    backward(gradOutput, false);
  }

  public void backward(Tensor gradOutput, boolean retainGraph) {
    Autograd.backward(this, gradOutput, retainGraph);
  }

  /**
   * The result of an op: wraps {@code out} and, when grad mode is on and an input requires grad,
   * records {@code backward} on the tape. Every differentiable op returns through here.
   */
  public static Tensor fromOp(
      String op, float[] out, int[] shape, GradNode.Backward backward, Tensor... inputs) {
    Tensor t = wrap(out, shape);
    return attach(t, op, backward, inputs);
  }

  /** Records {@code backward} for an already built result {@code t} (e.g. a view). */
  public static Tensor attach(Tensor t, String op, GradNode.Backward backward, Tensor... inputs) {
    if (Autograd.isGradEnabled()) {
      for (Tensor in : inputs) {
        if (in != null && in.requiresGrad) {
          t.gradFn = new GradNode(op, inputs.clone(), backward);
          t.requiresGrad = true;
          break;
        }
      }
    }
    return t;
  }

  /**
   * Adds {@code g} into this leaf's grad. The first gradient is taken over without a copy when
   * {@code exclusive} (no other tensor or caller holds its array) and it covers its whole array in
   * order; otherwise it is copied.
   */
  void accumulateGrad(Tensor g, boolean exclusive) {
    if (grad == null) {
      boolean whole = g.offset == 0 && g.data.length == g.numel() && g.isContiguous();
      grad = exclusive && whole ? wrap(g.data, shape) : wrap(g.toArray(), shape);
    } else {
      float[] acc = grad.data;
      float[] add = g.contiguousData();
      int base = grad.offset;
      for (int i = 0; i < add.length; i++) {
        acc[base + i] += add[i];
      }
    }
  }

  /** a + b of equal shapes, outside the tape (used to sum gradients flowing into one tensor). */
  static Tensor sumOf(Tensor a, Tensor b) {
    // one pass, over the pool when large: a residual block's input gradient is a whole activation
    float[] out = new float[a.numel()];
    BinaryLoops.dense(
        BinaryLoops.Op.ADD, a.contiguousData(), 0, b.contiguousData(), 0, out, 0, out.length);
    return wrap(out, a.shape);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape));
    if (gradFn != null) {
      sb.append(" grad_fn=").append(gradFn.op());
    } else if (requiresGrad) {
      sb.append(" requires_grad");
    }
    int n = numel();
    float[] v = n <= 16 ? toArray() : null;
    if (v != null) {
      sb.append(' ').append(Arrays.toString(v));
    }
    return sb.toString();
  }
}
