package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The ops read a contiguous view in place, at its storage offset (no copy): a slice along the first
 * axis must give the same values and gradients as a fresh copy of it.
 */
class OffsetViewsTest {
  private static void sameOnSliceAndCopy(String op, UnaryOperator<Tensor> f) {
    Tensor parent = Tensor.randn(new Rng(17), 5, 4, 3).requiresGrad(true);
    Tensor slice = parent.slice(0, 2, 4);
    assertTrue(slice.isContiguous() && slice.offset() > 0, "the test needs an offset view");
    Tensor copy = Tensor.of(slice.toArray(), slice.shape()).requiresGrad(true);
    Tensor g = Tensor.randn(new Rng(18), f.apply(copy.detach()).shape());
    Tensor ySlice = f.apply(slice);
    Tensor yCopy = f.apply(copy);
    assertArrayEquals(yCopy.toArray(), ySlice.toArray(), 0f, op + " forward");
    ySlice.backward(g);
    yCopy.backward(g);
    float[] fromParent = parent.grad().slice(0, 2, 4).toArray();
    assertArrayEquals(copy.grad().toArray(), fromParent, 0f, op + " gradient");
  }

  @Test
  void everyOpReadsOffsetViewsCorrectly() {
    sameOnSliceAndCopy("relu", Activations::relu);
    sameOnSliceAndCopy("relu6", Activations::relu6);
    sameOnSliceAndCopy("leakyRelu", x -> Activations.leakyRelu(x, 0.1f));
    sameOnSliceAndCopy("sigmoid", Activations::sigmoid);
    sameOnSliceAndCopy("hardswish", Activations::hardswish);
    sameOnSliceAndCopy(
        "batchNorm", x -> Normalization.batchNorm(x, null, null, null, null, true, 0.1f, 1e-5f));
    Tensor w = Tensor.randn(new Rng(19), 2, 3);
    sameOnSliceAndCopy("linear", x -> Linear.linear(x, w, null));
    sameOnSliceAndCopy("logSoftmax", Losses::logSoftmax);
    sameOnSliceAndCopy(
        "crossEntropy",
        x -> Losses.crossEntropy(x.reshape(8, 3), new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 0.1f));
  }
}
