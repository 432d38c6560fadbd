package dev.kronet.engine.nn;

import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.StoredTensor;

/**
 * A module's non-trainable state (running statistics, counters), saved in its state dict. Each
 * buffer knows the dtype it is stored as, so that a state dict written by kronet has the types
 * PyTorch writes: float32 for a {@link TensorBuffer}, int64 for a {@link Counter} such as
 * BatchNorm's {@code num_batches_tracked}.
 */
public sealed interface Buffer permits TensorBuffer, Counter {
  /** The dtype this buffer is saved as. */
  DType dtype();

  int[] shape();

  /** A copy of the current value, in {@link #dtype()}. */
  StoredTensor snapshot();

  /**
   * Whether a stored value of {@code dtype} can be loaded into this buffer without a category
   * change (float into float, integer into integer).
   */
  boolean accepts(DType dtype);

  /**
   * Overwrites the value in place from {@code value}, whose shape equals {@link #shape()} and whose
   * dtype this buffer {@link #accepts}; callers check both first.
   */
  void copyFrom(StoredTensor value);
}
