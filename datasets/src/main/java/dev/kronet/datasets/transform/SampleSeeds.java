package dev.kronet.datasets.transform;

import dev.kronet.engine.Rng;

/**
 * Seeds derived from (run seed, epoch, sample index), so every sample of every epoch has its own
 * reproducible random stream no matter how samples are spread over threads or batches.
 */
public final class SampleSeeds {
  private SampleSeeds() {}

  /** The seed of sample {@code index} in {@code epoch}. */
  public static long of(long seed, long epoch, long index) {
    // Each component goes through a full SplitMix64 finaliser before the next is added, so nearby
    // (epoch, index) pairs give unrelated seeds.
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    h = mix(h + 0x9E3779B97F4A7C15L * (epoch + 1));
    return mix(h + 0xBF58476D1CE4E5B9L * (index + 1));
  }

  /** A generator for sample {@code index} in {@code epoch}. */
  public static Rng rng(long seed, long epoch, long index) {
    return new Rng(of(seed, epoch, index));
  }

  /** The SplitMix64 output function (Steele, Lea and Flood, 2014). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
