package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Strided;
import java.util.Arrays;

/**
 * Joining and cutting tensors along an axis, with PyTorch semantics: {@link #concat} ({@code
 * torch.cat}), {@link #stack}, {@link #split} (views, like {@code torch.split} with explicit sizes)
 * and constant {@link #pad}. Each backward is the inverse cut or join.
 */
public final class Joins {
  private Joins() {}

  /**
   * Joins tensors along {@code axis}; all other dimensions must agree. The result is a fresh
   * contiguous tensor; each input's gradient is its slice of the output gradient.
   */
  public static Tensor concat(int axis, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new KronetException("concat: needs at least one tensor, got none");
    }
    int[] first = tensors[0].shape();
    int a = Operands.axis("concat", first, axis);
    int total = 0;
    for (int t = 0; t < tensors.length; t++) {
      int[] s = tensors[t].shape();
      boolean compatible = s.length == first.length;
      for (int d = 0; compatible && d < s.length; d++) {
        compatible = d == a || s[d] == first[d];
      }
      if (!compatible) {
        throw new KronetException(
            "concat along axis "
                + a
                + ": tensor "
                + t
                + " has shape "
                + Shapes.format(s)
                + " but tensor 0 has shape "
                + Shapes.format(first)
                + " (all dimensions except "
                + a
                + " must match)");
      }
      total += s[a];
    }
    int[] shape = first.clone();
    shape[a] = total;
    int outer = 1;
    for (int d = 0; d < a; d++) {
      outer *= shape[d];
    }
    int inner = 1;
    for (int d = a + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    float[] out = new float[Shapes.numel(shape)];
    int[] starts = new int[tensors.length + 1];
    for (int t = 0; t < tensors.length; t++) {
      int len = tensors[t].size(a);
      starts[t + 1] = starts[t] + len;
      // Each outer index holds one block of len·inner values from this input.
      Operands.Dense src = Operands.Dense.of(tensors[t]);
      int block = len * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(
            src.data(), src.offset() + o * block, out, (o * total + starts[t]) * inner, block);
      }
    }
    Tensor[] inputs = tensors.clone();
    return Tensor.fromOp(
        "concat",
        out,
        shape,
        g -> {
          Tensor[] grads = new Tensor[inputs.length];
          for (int t = 0; t < inputs.length; t++) {
            if (inputs[t].requiresGrad()) {
              grads[t] =
                  Tensor.wrap(g.slice(a, starts[t], starts[t + 1]).toArray(), inputs[t].shape());
            }
          }
          return grads;
        },
        inputs);
  }

  /** Joins equally shaped tensors along a new axis at {@code axis} ({@code torch.stack}). */
  public static Tensor stack(int axis, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new KronetException("stack: needs at least one tensor, got none");
    }
    int[] first = tensors[0].shape();
    Tensor[] lifted = new Tensor[tensors.length];
    for (int t = 0; t < tensors.length; t++) {
      if (!Arrays.equals(tensors[t].shape(), first)) {
        throw new KronetException(
            "stack: tensor "
                + t
                + " has shape "
                + Shapes.format(tensors[t].shape())
                + " but tensor 0 has shape "
                + Shapes.format(first)
                + " (all must be equal)");
      }
      lifted[t] = tensors[t].unsqueeze(axis);
    }
    return concat(axis < 0 ? axis + first.length + 1 : axis, lifted);
  }

  /**
   * Cuts {@code x} along {@code axis} into consecutive pieces of the given sizes, which must add up
   * to the axis length. The pieces are views sharing {@code x}'s storage.
   */
  public static Tensor[] split(Tensor x, int axis, int... sizes) {
    int[] shape = x.shape();
    int a = Operands.axis("split", shape, axis);
    long sum = 0;
    for (int s : sizes) {
      if (s < 0) {
        throw new KronetException("split: negative size in " + Arrays.toString(sizes));
      }
      sum += s;
    }
    if (sum != shape[a]) {
      throw new KronetException(
          "split: sizes "
              + Arrays.toString(sizes)
              + " add up to "
              + sum
              + " but axis "
              + a
              + " of shape "
              + Shapes.format(shape)
              + " has length "
              + shape[a]);
    }
    Tensor[] pieces = new Tensor[sizes.length];
    int start = 0;
    for (int i = 0; i < sizes.length; i++) {
      pieces[i] = x.slice(a, start, start + sizes[i]);
      start += sizes[i];
    }
    return pieces;
  }

  /**
   * Pads each axis d with {@code before[d]} values in front and {@code after[d]} behind, all equal
   * to {@code value}. Both arrays have one entry per axis of {@code x}, all ≥ 0.
   */
  public static Tensor pad(Tensor x, int[] before, int[] after, float value) {
    int[] shape = x.shape();
    if (before.length != shape.length || after.length != shape.length) {
      throw new KronetException(
          "pad: need one before/after entry per axis of shape "
              + Shapes.format(shape)
              + ", got before "
              + Arrays.toString(before)
              + " and after "
              + Arrays.toString(after));
    }
    int[] padded = shape.clone();
    for (int d = 0; d < shape.length; d++) {
      if (before[d] < 0 || after[d] < 0) {
        throw new KronetException(
            "pad: amounts must be ≥ 0, got before "
                + Arrays.toString(before)
                + " and after "
                + Arrays.toString(after));
      }
      padded[d] = shape[d] + before[d] + after[d];
    }
    int[] interiorStrides = Shapes.contiguousStrides(padded);
    int offset = 0;
    for (int d = 0; d < shape.length; d++) {
      offset += before[d] * interiorStrides[d];
    }
    int interiorOffset = offset;
    Tensor out = Tensor.full(value, padded);
    // The interior of the result, as a strided view, receives x.
    Views.scatterInto(Tensor.view(out.data(), interiorOffset, shape, interiorStrides), x);
    return Tensor.fromOp(
        "pad",
        out.data(),
        padded,
        g -> {
          Tensor gc = g.contiguous();
          float[] interior = new float[Shapes.numel(shape)];
          Strided.copy(
              gc.data(), gc.offset() + interiorOffset, shape, interiorStrides, interior, 0);
          return new Tensor[] {Tensor.wrap(interior, shape)};
        },
        x);
  }
}
