package dev.kronet.engine.ops;

import dev.kronet.engine.Tensor;

/**
 * A tensor's values as a dense row-major run {@code data[offset .. offset + numel)}: the storage
 * itself when the tensor is contiguous (no copy, even for an offset view), else a fresh copy.
 * Kernels take {@code (data, offset)} pairs, so ops hand them this instead of copying.
 */
record DenseView(float[] data, int offset) {
  static DenseView of(Tensor t) {
    return t.isContiguous() ? new DenseView(t.data(), t.offset()) : new DenseView(t.toArray(), 0);
  }
}
