package dev.kronet.engine.kernel;

/**
 * The last step of the SIMD dot-product loops that keep one partial sum per vector lane ({@link
 * RowMix#dots}, {@link FlatCorrelation#weights}): adding each entry's lanes, in lane order, so that
 * the result depends on the lane count only.
 */
public final class LaneSums {
  private LaneSums() {}

  /** {@code dst[e] += Σ_{l < lanes} acc[e·lanes + l]} for every entry {@code e} of {@code dst}. */
  public static void addTo(float[] acc, int lanes, float[] dst) {
    for (int e = 0; e < dst.length; e++) {
      float sum = 0f;
      for (int l = 0; l < lanes; l++) {
        sum += acc[e * lanes + l];
      }
      dst[e] += sum;
    }
  }
}
