package dev.kronet.engine.nn;

import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.StoredTensor;

/**
 * A scalar int64 buffer, such as BatchNorm's {@code num_batches_tracked}. It is a long rather than
 * a float32 tensor so that it counts exactly past 2^24 and is saved as the 0-d int64 tensor PyTorch
 * writes.
 */
public final class Counter implements Buffer {
  private long value;

  public Counter() {}

  public Counter(long value) {
    this.value = value;
  }

  public long get() {
    return value;
  }

  public void set(long value) {
    this.value = value;
  }

  /** Adds one and returns the new value. */
  public long increment() {
    return ++value;
  }

  @Override
  public DType dtype() {
    return DType.I64;
  }

  @Override
  public int[] shape() {
    return new int[0];
  }

  @Override
  public StoredTensor snapshot() {
    return StoredTensor.ofLongs(new long[] {value});
  }

  @Override
  public boolean accepts(DType dtype) {
    return !dtype.isFloating();
  }

  @Override
  public void copyFrom(StoredTensor stored) {
    value = stored.toLongs()[0];
  }

  @Override
  public String toString() {
    return "Counter[" + value + "]";
  }
}
