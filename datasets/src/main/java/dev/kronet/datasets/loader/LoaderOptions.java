package dev.kronet.datasets.loader;

import dev.kronet.engine.KronetException;

/**
 * How a {@link DataLoader} walks its dataset.
 *
 * @param batchSize samples per batch (the last one may be smaller unless {@code dropLast})
 * @param shuffle draw a fresh seeded permutation each epoch; otherwise dataset order
 * @param dropLast skip a final batch smaller than {@code batchSize}
 * @param seed the seed of shuffling and of every random transform
 * @param prefetch how many ready batches the background thread may hold (memory bound)
 */
public record LoaderOptions(
    int batchSize, boolean shuffle, boolean dropLast, long seed, int prefetch) {
  /** Enough to hide a slow batch behind a training step, small enough to cap memory. */
  public static final int DEFAULT_PREFETCH = 3;

  public LoaderOptions {
    if (batchSize < 1) {
      throw new KronetException("LoaderOptions: batchSize " + batchSize + ", expected ≥ 1");
    }
    if (prefetch < 1 || prefetch > 64) {
      throw new KronetException("LoaderOptions: prefetch " + prefetch + ", expected 1…64");
    }
  }

  /** Shuffled training order, last partial batch kept, default prefetch. */
  public static LoaderOptions training(int batchSize, long seed) {
    return new LoaderOptions(batchSize, true, false, seed, DEFAULT_PREFETCH);
  }

  /** Dataset order, last partial batch kept (for evaluation). */
  public static LoaderOptions evaluation(int batchSize) {
    return new LoaderOptions(batchSize, false, false, 0, DEFAULT_PREFETCH);
  }

  public LoaderOptions withDropLast(boolean value) {
    return new LoaderOptions(batchSize, shuffle, value, seed, prefetch);
  }

  public LoaderOptions withShuffle(boolean value) {
    return new LoaderOptions(batchSize, value, dropLast, seed, prefetch);
  }

  public LoaderOptions withSeed(long value) {
    return new LoaderOptions(batchSize, shuffle, dropLast, value, prefetch);
  }

  public LoaderOptions withPrefetch(int value) {
    return new LoaderOptions(batchSize, shuffle, dropLast, seed, value);
  }
}
