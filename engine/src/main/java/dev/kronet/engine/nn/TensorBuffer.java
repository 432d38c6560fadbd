package dev.kronet.engine.nn;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.ops.Views;

/**
 * A float32 tensor held as module state (a buffer such as BatchNorm's running mean, or, inside
 * {@link Module}, a parameter on its way to or from a state dict). Loading writes into the existing
 * tensor, so every reference to it (an optimiser's, a layer's field) sees the new values.
 */
public record TensorBuffer(Tensor tensor) implements Buffer {
  @Override
  public DType dtype() {
    return DType.F32;
  }

  @Override
  public int[] shape() {
    return tensor.shape();
  }

  @Override
  public StoredTensor snapshot() {
    return StoredTensor.of(tensor);
  }

  @Override
  public boolean accepts(DType dtype) {
    return dtype.isFloating();
  }

  @Override
  public void copyFrom(StoredTensor value) {
    float[] v = value.toFloats();
    if (tensor.isContiguous()) {
      System.arraycopy(v, 0, tensor.data(), tensor.offset(), v.length);
    } else {
      Views.scatterInto(tensor, Tensor.wrap(v, value.shape()));
    }
  }
}
