package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class BatchNormKernelTest {
  /**
   * Channel statistics against a naive double reference, on data with a large common offset (1000 +
   * noise): a float accumulator, or the one-pass E[x²] − E[x]² formula, would lose most digits of
   * the variance here.
   */
  @Test
  void channelStatsMatchANaiveDoubleReferenceOnOffsetData() {
    Property.check(
        "channelStatsEqualTwoPassDoubleReference",
        30,
        Gens.shapes(3, 3, 9),
        dims -> {
          int n = dims[0];
          int c = dims[1];
          int s = dims[2];
          Rng rng = new Rng(31L * n + 7L * c + s);
          int off = 3;
          float[] x = new float[off + n * c * s];
          for (int i = off; i < x.length; i++) {
            x[i] = 1000f + (float) rng.nextGaussian();
          }
          double[] mean = new double[c];
          double[] var = new double[c];
          BatchNormKernel.channelStats(mean, var, x, off, n, c, s);
          for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
              for (int i = 0; i < s; i++) {
                sum += x[off + (b * c + ch) * s + i];
              }
            }
            double m = sum / (n * s);
            double sq = 0;
            for (int b = 0; b < n; b++) {
              for (int i = 0; i < s; i++) {
                double d = x[off + (b * c + ch) * s + i] - m;
                sq += d * d;
              }
            }
            assertEquals(m, mean[ch], 1e-9, "mean of channel " + ch);
            assertEquals(sq / (n * s), var[ch], 1e-9, "variance of channel " + ch);
          }
        });
  }
}
