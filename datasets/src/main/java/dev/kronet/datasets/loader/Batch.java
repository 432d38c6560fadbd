package dev.kronet.datasets.loader;

import dev.kronet.engine.Tensor;

/**
 * One mini-batch: images as a contiguous float32 tensor of shape [N, C, H, W] and their class
 * labels. Each batch owns fresh storage, so a consumer may keep it as long as it likes.
 */
public record Batch(Tensor images, int[] labels) {
  /** Number of samples N. */
  public int size() {
    return labels.length;
  }
}
