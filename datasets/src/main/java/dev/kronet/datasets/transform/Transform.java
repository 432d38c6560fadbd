package dev.kronet.datasets.transform;

import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.Rng;

/**
 * One step of per-image preprocessing, done in place on float pixels in (C, H, W) order.
 *
 * <p>Randomness comes only from {@code rng}, which the loader derives from (seed, epoch, sample
 * index) by {@link SampleSeeds}; a transform keeps no state between calls, so results do not depend
 * on which thread runs it or in which order samples are processed.
 */
@FunctionalInterface
public interface Transform {
  /** Transforms the image in {@code data[offset .. offset + shape.size())} in place. */
  void apply(float[] data, int offset, ImageShape shape, Rng rng);
}
